/**
 * Child process for the relay-forwarding baseline: a bare `ws` server that
 * pairs the first socket on /agent with the first on /browser and forwards
 * every frame verbatim (no auth, parsing or bookkeeping). Sends { type: "ready", url }.
 */
import { createServer } from "node:http";
import { WebSocketServer, type WebSocket } from "ws";
import { answerCpuQueries } from "../harness/cpu.js";

answerCpuQueries();
const server = createServer();
const wss = new WebSocketServer({ server, perMessageDeflate: false });
const sides = new Map<string, WebSocket>();

wss.on("connection", (socket, req) => {
  const role = req.url === "/agent" ? "agent" : "browser";
  const other = role === "agent" ? "browser" : "agent";
  sides.set(role, socket);
  socket.on("message", (data, isBinary) => sides.get(other)?.send(data, { binary: isBinary }));
  socket.on("close", () => sides.delete(role));
});

server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("not listening on TCP");
  process.send?.({ type: "ready", url: `http://127.0.0.1:${address.port}` });
});
process.on("SIGTERM", () => {
  for (const socket of wss.clients) socket.terminate();
  server.close(() => process.exit(0));
});
