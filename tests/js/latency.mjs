// The JS figure beside Tandem's live-edit benchmark: two automerge-repo peers (JavaScript)
// through an automerge-repo sync server (JavaScript, documents in memory), all in this
// process on 127.0.0.1. Peer A edits a document; the time until peer B's copy has the edit.
//
//   node latency.mjs <edits>
//
// Prints one JSON line: {"edits": N, "p50_ms": .., "p99_ms": .., "max_ms": ..}. Gives up after
// DEADLINE_MS (exit 3).

import { Repo } from "@automerge/automerge-repo";
import {
  NodeWSServerAdapter,
  WebSocketClientAdapter,
} from "@automerge/automerge-repo-network-websocket";
import { WebSocketServer } from "ws";

const DEADLINE_MS = 120_000;
setTimeout(() => {
  process.stderr.write(`latency.mjs: gave up after ${DEADLINE_MS / 1000} s\n`);
  process.exit(3);
}, DEADLINE_MS).unref();

const edits = Number(process.argv[2] ?? "200");
const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
await new Promise((resolve, reject) => {
  wss.once("listening", resolve);
  wss.once("error", reject);
});
const server = new Repo({
  network: [new NodeWSServerAdapter(wss)],
  peerId: "latency-server",
  sharePolicy: async () => false,
});
const url = `ws://127.0.0.1:${wss.address().port}`;
const a = new Repo({ network: [new WebSocketClientAdapter(url)], peerId: "latency-a" });
const b = new Repo({ network: [new WebSocketClientAdapter(url)], peerId: "latency-b" });

const mine = a.create({ n: -1 });
await a.networkSubsystem.whenReady();
// B asks for the document (and so follows it) once the server has it.
let theirs;
for (let attempt = 0; !theirs; attempt++) {
  try {
    theirs = await b.find(mine.url);
  } catch (e) {
    if (attempt > 50) throw e;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const times = [];
for (let i = 0; i < edits; i++) {
  const arrived = new Promise((resolve) => {
    const listen = ({ doc }) => {
      if (doc.n === i) {
        theirs.off("change", listen);
        resolve();
      }
    };
    theirs.on("change", listen);
  });
  const started = process.hrtime.bigint();
  mine.change((d) => {
    d.n = i;
  });
  await arrived;
  times.push(Number(process.hrtime.bigint() - started) / 1e6);
}
times.sort((x, y) => x - y);
const at = (q) => times[Math.round((times.length - 1) * q)];
console.log(JSON.stringify({ edits, p50_ms: at(0.5), p99_ms: at(0.99), max_ms: at(1) }));
for (const repo of [a, b, server]) repo.shutdown();
for (const client of wss.clients) client.terminate();
wss.close();
process.exit(0);
