import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import { errorBody, type AuthbridgeError } from "@authbridge/protocol";

/** Answers a refused upgrade with a plain HTTP response carrying the JSON error, then drops the socket. */
export function refuseUpgrade(socket: Duplex, error: AuthbridgeError): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify(errorBody(error.code, error.message));
  const head = [
    `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? "Error"}`,
    "Connection: close",
    "Content-Type: application/json; charset=utf-8",
    `Content-Length: ${Buffer.byteLength(body)}`,
    "Cache-Control: no-store",
  ].join("\r\n");
  socket.once("finish", () => socket.destroy());
  socket.end(`${head}\r\n\r\n${body}`);
}
