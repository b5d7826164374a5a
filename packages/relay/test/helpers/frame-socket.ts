import { parseRelayFrameText, type RelayFrame } from "@authbridge/protocol";
import { WebSocket, type ClientOptions } from "ws";
import { frameText } from "../../src/ws/side.js";

const WAIT_MS = 3_000;

export interface Closed {
  code: number;
  reason: string;
}

/** A `ws` client for tests: queues the frames it receives (parsed, so invalid relay output fails the test). */
export class FrameSocket {
  readonly frames: RelayFrame[] = [];
  /** Binary (terminal) frames received, in order. */
  readonly binary: Uint8Array[] = [];
  readonly closed: Promise<Closed>;
  #waiters: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on("message", (data, isBinary) => {
      if (isBinary) {
        this.binary.push(Buffer.isBuffer(data) ? new Uint8Array(data) : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]));
        for (const wake of this.#waiters.splice(0)) wake();
        return;
      }
      const text = frameText(data);
      const parsed = parseRelayFrameText(text);
      if (!parsed.ok) throw new Error(`the relay sent an invalid frame: ${text}`);
      this.frames.push(parsed.value);
      for (const wake of this.#waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) => ws.once("close", (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  static open(url: string, protocols: string[] = [], options: ClientOptions = {}): Promise<FrameSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, protocols, options);
      const socket = new FrameSocket(ws);
      ws.once("open", () => resolve(socket));
      ws.once("unexpected-response", (_req, res) => reject(new Error(`upgrade refused with ${res.statusCode}`)));
      ws.once("error", reject);
    });
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  hello(role: "agent" | "browser"): void {
    this.send({ v: 1, type: "hello", role, protocol: 1 });
  }

  /** The next frame not yet taken. */
  async next(): Promise<RelayFrame> {
    const deadline = Date.now() + WAIT_MS;
    while (this.frames.length === 0) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error("no frame arrived");
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    const frame = this.frames.shift();
    if (frame === undefined) throw new Error("no frame");
    return frame;
  }

  /** The next binary frame not yet taken. */
  async nextBinary(): Promise<Uint8Array> {
    const deadline = Date.now() + WAIT_MS;
    while (this.binary.length === 0) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error("no binary frame arrived");
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    const frame = this.binary.shift();
    if (frame === undefined) throw new Error("no frame");
    return frame;
  }

  async waitClosed(): Promise<Closed> {
    const timeout = new Promise<never>((_resolve, reject) => setTimeout(() => reject(new Error("socket did not close")), WAIT_MS).unref());
    return Promise.race([this.closed, timeout]);
  }

  close(): void {
    this.ws.close();
  }
}

export interface Refusal {
  status: number;
  body: unknown;
}

/** Attempts an upgrade that is expected to be refused; resolves with the HTTP status and JSON body. */
export function refusedUpgrade(url: string, protocols: string[] = [], options: ClientOptions = {}): Promise<Refusal> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols, options);
    ws.once("open", () => {
      ws.terminate();
      reject(new Error("the upgrade was accepted"));
    });
    ws.once("unexpected-response", (_req, res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        const body: unknown = text === "" ? undefined : JSON.parse(text);
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    ws.once("error", reject);
  });
}
