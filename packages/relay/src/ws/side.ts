import { encodeFrame, PROTOCOL_VERSION, type ErrorFrame, type RelayFrame } from "@authbridge/protocol";
import type { Logger } from "pino";
import { WebSocket, type RawData } from "ws";

export type Role = "agent" | "browser";

/** A side that sends more invalid frames than this is closed with 1008. */
export const MAX_INVALID_FRAMES = 10;
/** How long a closing socket gets to finish the close handshake before it is cut. */
const CLOSE_GRACE_MS = 2_000;

/** One attached WebSocket of a session (the agent or the browser) and its protocol state. */
export class Side {
  /** True once the side said `hello` with the right role. */
  ready = false;
  #invalidFrames = 0;
  readonly #closed: Promise<void>;

  constructor(
    readonly role: Role,
    readonly socket: WebSocket,
    private readonly logger: Logger,
  ) {
    this.#closed = new Promise((resolve) => socket.once("close", () => resolve()));
    // `ws` reports oversized frames, bad UTF-8 and the like as `error` and then closes (1009, 1007, …).
    socket.on("error", (error) => this.logger.info({ role, reason: error.message }, "socket error"));
  }

  send(frame: RelayFrame): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(encodeFrame(frame));
  }

  /** Sends a frame's text that has passed the parser (see `forwardable` in session.ts). */
  sendValidated(text: string): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(text);
  }

  /** Sends a terminal (binary) frame. */
  sendBinary(bytes: Uint8Array): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(bytes, { binary: true });
  }

  sendError(code: string, message: string, id?: string): void {
    const frame: ErrorFrame = id === undefined ? { v: PROTOCOL_VERSION, type: "error", code, message } : { v: PROTOCOL_VERSION, type: "error", code, message, id };
    this.logger.info({ role: this.role, code, id }, "error frame sent");
    this.send(frame);
  }

  /** Reports an invalid frame; the side is closed (1008) after too many. */
  protocolError(message: string, id?: string): void {
    this.#invalidFrames += 1;
    this.sendError("ProtocolError", message, id);
    if (this.#invalidFrames > MAX_INVALID_FRAMES) {
      this.logger.warn({ role: this.role }, "too many invalid frames; closing");
      void this.close(1008, "too many invalid frames");
    }
  }

  /** Starts the close handshake and cuts the socket if it does not finish in time. */
  close(code: number, reason: string): Promise<void> {
    const { socket } = this;
    if (socket.readyState === WebSocket.CLOSED) return this.#closed;
    if (socket.readyState !== WebSocket.CLOSING) socket.close(code, reason);
    const cut = setTimeout(() => socket.terminate(), CLOSE_GRACE_MS);
    cut.unref();
    return this.#closed.then(() => clearTimeout(cut));
  }
}

/** The text of a text frame, whatever buffer shape `ws` handed over. */
export function frameText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString("utf8");
  if (Buffer.isBuffer(data)) return data.toString("utf8");
  return Buffer.from(data).toString("utf8");
}

/** The bytes of a binary frame, whatever buffer shape `ws` handed over. */
export function frameBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (Buffer.isBuffer(data)) return data;
  return new Uint8Array(data);
}
