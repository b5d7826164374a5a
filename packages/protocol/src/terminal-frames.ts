import type { ParseResult } from "./result.js";
import { parseFailure } from "./result.js";

/**
 * Terminal frames: binary WebSocket frames between the agent (the shell's
 * PTY) and the browser (xterm.js), forwarded by the relay. Text frames carry
 * the token protocol; binary frames carry only these.
 *
 * Layout: one byte `kind`, then the payload.
 * - `data`   (1) raw terminal bytes: PTY output (agent → browser) or keyboard input (browser → agent)
 * - `resize` (2) cols u16 BE, rows u16 BE (browser → agent; the first one starts the shell)
 * - `exit`   (3) exit code i32 BE (agent → browser: the shell ended)
 * - `ack`    (4) bytes u32 BE: output bytes the browser has rendered (browser → agent; flow control)
 */
export const TERMINAL_FRAME_KIND = { data: 1, resize: 2, exit: 3, ack: 4 } as const;
export type TerminalFrameKind = keyof typeof TERMINAL_FRAME_KIND;

export type TerminalFrame =
  | { kind: "data"; data: Uint8Array }
  | { kind: "resize"; cols: number; rows: number }
  | { kind: "exit"; code: number }
  | { kind: "ack"; bytes: number };

/** Kinds each side may send; the relay forwards nothing else. */
export const AGENT_TERMINAL_KINDS: readonly TerminalFrameKind[] = Object.freeze(["data", "exit"]);
export const BROWSER_TERMINAL_KINDS: readonly TerminalFrameKind[] = Object.freeze(["data", "resize", "ack"]);

/** Largest `data` payload a sender puts in one frame (output is chunked to this). */
export const TERMINAL_CHUNK_BYTES = 16 * 1024;
/** Output bytes the agent may have sent but the browser not yet acknowledged before it pauses the PTY. */
export const TERMINAL_WINDOW_BYTES = 256 * 1024;
/** Largest terminal size accepted in `resize`. */
export const MAX_TERMINAL_COLS = 1000;
export const MAX_TERMINAL_ROWS = 1000;

const HEADER_BYTES = 1;

export function encodeTerminalFrame(frame: TerminalFrame): Uint8Array {
  switch (frame.kind) {
    case "data": {
      const out = new Uint8Array(HEADER_BYTES + frame.data.byteLength);
      out[0] = TERMINAL_FRAME_KIND.data;
      out.set(frame.data, HEADER_BYTES);
      return out;
    }
    case "resize": {
      const out = new Uint8Array(HEADER_BYTES + 4);
      const view = new DataView(out.buffer);
      out[0] = TERMINAL_FRAME_KIND.resize;
      view.setUint16(1, frame.cols);
      view.setUint16(3, frame.rows);
      return out;
    }
    case "exit": {
      const out = new Uint8Array(HEADER_BYTES + 4);
      out[0] = TERMINAL_FRAME_KIND.exit;
      new DataView(out.buffer).setInt32(1, frame.code);
      return out;
    }
    case "ack": {
      const out = new Uint8Array(HEADER_BYTES + 4);
      out[0] = TERMINAL_FRAME_KIND.ack;
      new DataView(out.buffer).setUint32(1, frame.bytes);
      return out;
    }
  }
}

/** The kind named by a frame's first byte, or undefined for an empty or unknown frame. */
export function terminalFrameKind(bytes: Uint8Array): TerminalFrameKind | undefined {
  switch (bytes[0]) {
    case TERMINAL_FRAME_KIND.data:
      return "data";
    case TERMINAL_FRAME_KIND.resize:
      return "resize";
    case TERMINAL_FRAME_KIND.exit:
      return "exit";
    case TERMINAL_FRAME_KIND.ack:
      return "ack";
    default:
      return undefined;
  }
}

/** Parses one binary frame; rejects empty, unknown, mis-sized and out-of-range frames. */
export function decodeTerminalFrame(bytes: Uint8Array): ParseResult<TerminalFrame> {
  if (bytes.byteLength < HEADER_BYTES) return parseFailure("kind", "an empty terminal frame");
  const kind = terminalFrameKind(bytes);
  if (kind === undefined) return parseFailure("kind", `unknown terminal frame kind ${String(bytes[0])}`);
  const payload = bytes.subarray(HEADER_BYTES);
  if (kind === "data") {
    if (payload.byteLength === 0) return parseFailure("data", "a data frame carries no bytes");
    if (payload.byteLength > TERMINAL_CHUNK_BYTES) return parseFailure("data", `more than ${TERMINAL_CHUNK_BYTES} bytes in one data frame`);
    return { ok: true, value: { kind, data: payload } };
  }
  if (payload.byteLength !== 4) return parseFailure(kind, `a ${kind} frame carries exactly 4 bytes, got ${payload.byteLength}`);
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  switch (kind) {
    case "resize": {
      const cols = view.getUint16(0);
      const rows = view.getUint16(2);
      if (cols < 1 || cols > MAX_TERMINAL_COLS) return parseFailure("resize.cols", `must be from 1 to ${MAX_TERMINAL_COLS}`);
      if (rows < 1 || rows > MAX_TERMINAL_ROWS) return parseFailure("resize.rows", `must be from 1 to ${MAX_TERMINAL_ROWS}`);
      return { ok: true, value: { kind, cols, rows } };
    }
    case "exit":
      return { ok: true, value: { kind, code: view.getInt32(0) } };
    case "ack":
      return { ok: true, value: { kind, bytes: view.getUint32(0) } };
  }
}

/** Splits `data` into `data` frames of at most `TERMINAL_CHUNK_BYTES` payload bytes. */
export function encodeTerminalData(data: Uint8Array, chunkBytes: number = TERMINAL_CHUNK_BYTES): Uint8Array[] {
  const frames: Uint8Array[] = [];
  for (let offset = 0; offset < data.byteLength; offset += chunkBytes) {
    frames.push(encodeTerminalFrame({ kind: "data", data: data.subarray(offset, Math.min(offset + chunkBytes, data.byteLength)) }));
  }
  return frames;
}
