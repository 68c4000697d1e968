// A plain automerge-repo sync server (JavaScript): a Repo with the Node WebSocket server
// adapter on 127.0.0.1, documents in memory. Nothing Tandem-specific: no tokens, no policy.
//
//   node server.mjs
//
// Prints `listening on ws://127.0.0.1:PORT` once it accepts connections. It stops when its
// stdin closes (the test that started it has gone), on SIGTERM/SIGINT, or after MAX_LIFE_MS.

import { Repo } from "@automerge/automerge-repo";
import { NodeWSServerAdapter } from "@automerge/automerge-repo-network-websocket";
import { WebSocketServer } from "ws";

const MAX_LIFE_MS = 5 * 60_000;

const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
await new Promise((resolve, reject) => {
  wss.once("listening", resolve);
  wss.once("error", reject);
});

const repo = new Repo({
  network: [new NodeWSServerAdapter(wss)],
  peerId: `interop-js-server-${process.pid}`,
  // Like automerge-repo's sync server: answer what peers ask for, announce nothing.
  sharePolicy: async () => false,
});

function stop(code, why) {
  if (why) process.stderr.write(`server.mjs: ${why}\n`);
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
setTimeout(() => stop(3, `stopping after ${MAX_LIFE_MS / 1000} s`), MAX_LIFE_MS).unref();

console.log(`listening on ws://127.0.0.1:${wss.address().port}`);
