// A plain automerge-repo peer (JavaScript) syncing a Tandem journey through a Tandem server.
//
//   node peer.mjs <sync url> <token> <peer id> <journey id> <text of the value to add>
//
// <sync url> is the server's WebSocket sync endpoint (ws://HOST:PORT/v1/sync); the token is
// added as `?token=`. The peer finds the journey, prints the values it sees, adds a value as
// JavaScript naturally writes it, and waits until the server says it has that change.
//
// stdout, one JSON object per line:
//   {"seen":[{"id","text","life_area","importance"}, ...]}   (sorted by id)
//   {"added":"<id of the new value>"}
// Exit codes: 0 done; 2 the server refused the connection; 3 a step timed out; 1 anything else.
// Every wait is bounded: the whole run gives up after DEADLINE_MS.

import { randomBytes } from "node:crypto";
import * as A from "@automerge/automerge";
import { Repo } from "@automerge/automerge-repo";
import { WebSocketClientAdapter } from "@automerge/automerge-repo-network-websocket";

const DEADLINE_MS = 30_000;

function fail(code, message) {
  process.stderr.write(`peer.mjs: ${message}\n`);
  process.exit(code);
}

const [syncUrl, token, peerId, journeyId, text] = process.argv.slice(2);
if (!syncUrl || !token || !peerId || !journeyId || !text) {
  fail(1, "usage: node peer.mjs <sync url> <token> <peer id> <journey id> <value text>");
}

setTimeout(
  () => fail(3, `gave up after ${DEADLINE_MS / 1000} s (no answer from the server)`),
  DEADLINE_MS,
).unref();

/** The client adapter, told to stop (not retry) when the server refuses the upgrade. */
class RefusableClientAdapter extends WebSocketClientAdapter {
  connect(peerId, peerMetadata) {
    super.connect(peerId, peerMetadata);
    // `ws` answers a non-101 response with this event when someone listens (and with an
    // "Unexpected server response" error thrown from the adapter otherwise).
    this.socket.on("unexpected-response", (request, response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", chunk => (body += chunk));
      const refuse = () =>
        fail(2, `the server refused the connection: HTTP ${response.statusCode} ${body.trim()}`);
      response.on("end", refuse);
      response.on("error", refuse);
      setTimeout(refuse, 2_000).unref();
    });
  }
}

const url = new URL(syncUrl);
url.searchParams.set("token", token);
const repo = new Repo({
  network: [new RefusableClientAdapter(url.toString(), 1_000)],
  peerId,
});

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Resolves once the server's sync state shows it has every head of `handle`'s document. */
function serverHas(handle) {
  return new Promise(resolve => {
    const check = ({ documentId, syncState }) => {
      if (documentId !== handle.documentId || !syncState.theirHeads) return;
      const ours = A.getHeads(handle.doc());
      if (ours.every(head => syncState.theirHeads.includes(head))) {
        repo.synchronizer.off("sync-state", check);
        resolve();
      }
    };
    repo.synchronizer.on("sync-state", check);
  });
}

try {
  const handle = await withTimeout(
    repo.find(`automerge:${journeyId}`),
    15_000,
    `finding journey ${journeyId}`,
  );
  const doc = handle.doc();
  const seen = Object.entries(doc.values ?? {})
    .map(([id, v]) => ({
      id,
      text: String(v.text),
      life_area: String(v.life_area),
      importance: v.importance,
    }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  console.log(JSON.stringify({ seen }));

  const id = `js-${randomBytes(8).toString("hex")}`;
  handle.change(d => {
    d.values ??= {};
    d.values[id] = {
      text,
      life_area: "health",
      importance: 6,
      added_at: new Date().toISOString(),
    };
  });
  await withTimeout(serverHas(handle), 15_000, "waiting for the server to have the new value");
  console.log(JSON.stringify({ added: id }));
  await withTimeout(repo.shutdown(), 5_000, "shutting down");
  process.exit(0);
} catch (e) {
  fail(e?.message?.includes("timed out") ? 3 : 1, e?.message ?? String(e));
}
