// A plain automerge-repo sync server (JavaScript), as automerge-repo's own sync server is set up:
// a Repo with the Node WebSocket server adapter on 127.0.0.1 and the Node filesystem storage
// adapter, documents on disk. The server load benchmark (tests/benches/server_load.rs) runs the
// same load against it as against tandem-server. Nothing Tandem-specific: no tokens, no policy.
//
//   node sync-server.mjs <data directory>
//
// Prints `listening on ws://127.0.0.1:PORT` once it accepts connections. It stops when its
// stdin closes (the benchmark that started it has gone), on SIGTERM/SIGINT, or after
// MAX_LIFE_MS.

import { Repo } from "@automerge/automerge-repo";
import { NodeWSServerAdapter } from "@automerge/automerge-repo-network-websocket";
import { NodeFSStorageAdapter } from "@automerge/automerge-repo-storage-nodefs";
import { WebSocketServer } from "ws";

const MAX_LIFE_MS = 60 * 60_000;

const dataDir = process.argv[2];
if (!dataDir) {
  process.stderr.write("usage: node sync-server.mjs <data directory>\n");
  process.exit(1);
}

const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
await new Promise((resolve, reject) => {
  wss.once("listening", resolve);
  wss.once("error", reject);
});

const repo = new Repo({
  network: [new NodeWSServerAdapter(wss)],
  storage: new NodeFSStorageAdapter(dataDir),
  peerId: `sync-server-${process.pid}`,
  // As automerge-repo's sync server: answer what peers ask for, announce nothing.
  sharePolicy: async () => false,
});

function stop(code, why) {
  if (why) process.stderr.write(`sync-server.mjs: ${why}\n`);
  for (const client of wss.clients) client.terminate();
  wss.close();
  repo.shutdown();
  process.exit(code);
}

process.on("SIGTERM", () => stop(0));
process.on("SIGINT", () => stop(0));
process.stdin.on("end", () => stop(0));
process.stdin.on("error", () => stop(0));
process.stdin.resume();
setTimeout(() => stop(3, `stopping after ${MAX_LIFE_MS / 60_000} minutes`), MAX_LIFE_MS).unref();

console.log(`listening on ws://127.0.0.1:${wss.address().port}`);
