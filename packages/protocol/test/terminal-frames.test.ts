import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  MAX_TERMINAL_COLS,
  TERMINAL_CHUNK_BYTES,
  decodeTerminalFrame,
  encodeTerminalData,
  encodeTerminalFrame,
  terminalFrameKind,
  type TerminalFrame,
} from "../src/index.js";

const bytes = (...values: number[]) => Uint8Array.from(values);
const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

describe("terminal frames", () => {
  it("round-trips every kind through encode and decode", () => {
    const frames: TerminalFrame[] = [
      { kind: "data", data: ascii("ls -la\r") },
      { kind: "resize", cols: 120, rows: 40 },
      { kind: "exit", code: 0 },
      { kind: "exit", code: -1 },
      { kind: "ack", bytes: 4_294_967_295 },
    ];
    for (const frame of frames) expect(decodeTerminalFrame(encodeTerminalFrame(frame))).toEqual({ ok: true, value: frame });
  });

  it("puts the kind in the first byte and sizes big-endian", () => {
    expect(Array.from(encodeTerminalFrame({ kind: "resize", cols: 0x0102, rows: 0x0304 }))).toEqual([2, 1, 2, 3, 4]);
    expect(Array.from(encodeTerminalFrame({ kind: "data", data: bytes(65, 66) }))).toEqual([1, 65, 66]);
    expect(terminalFrameKind(bytes(3, 0, 0, 0, 1))).toBe("exit");
  });

  it.each([
    ["an empty frame", bytes(), "kind"],
    ["an unknown kind", bytes(9, 1, 2), "kind"],
    ["kind 0", bytes(0), "kind"],
    ["a data frame without bytes", bytes(1), "data"],
    ["a short resize", bytes(2, 0, 80, 0), "resize"],
    ["a long resize", bytes(2, 0, 80, 0, 24, 0), "resize"],
    ["zero columns", bytes(2, 0, 0, 0, 24), "resize.cols"],
    ["zero rows", bytes(2, 0, 80, 0, 0), "resize.rows"],
    ["too many columns", encodeTerminalFrame({ kind: "resize", cols: MAX_TERMINAL_COLS + 1, rows: 24 }), "resize.cols"],
    ["a short exit", bytes(3, 0), "exit"],
    ["a long ack", bytes(4, 0, 0, 0, 0, 0), "ack"],
  ])("rejects %s", (_name, frame, path) => {
    const parsed = decodeTerminalFrame(frame);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.path).toBe(path);
  });

  it("rejects a data frame larger than one chunk", () => {
    const frame = new Uint8Array(TERMINAL_CHUNK_BYTES + 2);
    frame[0] = 1;
    expect(decodeTerminalFrame(frame).ok).toBe(false);
  });

  it("chunks output into frames of at most one chunk each, in order", () => {
    const data = new Uint8Array(TERMINAL_CHUNK_BYTES * 2 + 5).map((_, i) => i % 251);
    const frames = encodeTerminalData(data);
    expect(frames.map((f) => f.byteLength)).toEqual([TERMINAL_CHUNK_BYTES + 1, TERMINAL_CHUNK_BYTES + 1, 6]);
    const joined = frames.flatMap((f) => {
      const parsed = decodeTerminalFrame(f);
      if (!parsed.ok || parsed.value.kind !== "data") throw new Error("not a data frame");
      return Array.from(parsed.value.data);
    });
    expect(joined).toEqual(Array.from(data));
  });

  it("never throws on arbitrary bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (input) => {
        const parsed = decodeTerminalFrame(input);
        if (parsed.ok) expect(decodeTerminalFrame(encodeTerminalFrame(parsed.value))).toEqual(parsed);
      }),
    );
  });
});
