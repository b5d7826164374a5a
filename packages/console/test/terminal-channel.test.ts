import { decodeTerminalFrame, encodeTerminalFrame, TERMINAL_CHUNK_BYTES, type TerminalFrame } from "@authbridge/protocol";
import { describe, expect, it } from "vitest";
import { ACK_EVERY_BYTES, createTerminalChannel } from "../src/terminal-channel.js";

function setUp() {
  const sent: TerminalFrame[] = [];
  const writes: { data: Uint8Array; done: () => void }[] = [];
  const exits: number[] = [];
  let open = true;
  const channel = createTerminalChannel({
    send: (frame) => {
      if (!open) return false;
      const parsed = decodeTerminalFrame(frame);
      if (!parsed.ok) throw new Error("the console sent an invalid frame");
      sent.push(parsed.value);
      return true;
    },
    write: (data, done) => writes.push({ data, done }),
    onExit: (code) => exits.push(code),
  });
  return { channel, sent, writes, exits, close: () => (open = false) };
}
const data = (bytes: number) => encodeTerminalFrame({ kind: "data", data: new Uint8Array(bytes).fill(121) });

describe("the console's terminal channel", () => {
  it("acknowledges output only once xterm has processed it, batched until the writer catches up", () => {
    const { channel, sent, writes } = setUp();
    expect(channel.receive(data(100))).toBe(true);
    expect(channel.receive(data(200))).toBe(true);
    expect(sent).toEqual([]);
    writes[0]?.done();
    expect(sent).toEqual([]);
    writes[1]?.done();
    expect(sent).toEqual([{ kind: "ack", bytes: 300 }]);
  });

  it("acknowledges at least every ACK_EVERY_BYTES while output keeps coming", () => {
    const { channel, sent, writes } = setUp();
    const frames = Math.ceil(ACK_EVERY_BYTES / TERMINAL_CHUNK_BYTES) + 1;
    for (let i = 0; i < frames; i += 1) channel.receive(data(TERMINAL_CHUNK_BYTES));
    for (const write of writes.slice(0, -1)) write.done();
    expect(sent).toEqual([{ kind: "ack", bytes: ACK_EVERY_BYTES }]);
  });

  it("forgets what an old attachment rendered", () => {
    const { channel, sent, writes } = setUp();
    channel.receive(data(10));
    channel.reset();
    writes[0]?.done();
    expect(sent).toEqual([]);
  });

  it("encodes keystrokes as data frames of at most one chunk, and resizes clamped to the protocol's range", () => {
    const { channel, sent } = setUp();
    channel.input("é".repeat(TERMINAL_CHUNK_BYTES));
    expect(sent.map((frame) => (frame.kind === "data" ? frame.data.byteLength : -1))).toEqual([TERMINAL_CHUNK_BYTES, TERMINAL_CHUNK_BYTES]);
    channel.resize(5000, 40);
    channel.resize(0, 40);
    expect(sent.at(-1)).toEqual({ kind: "resize", cols: 1000, rows: 40 });
    expect(sent).toHaveLength(3);
  });

  it("reports the shell's exit and drops invalid frames and frames meant for the agent", () => {
    const { channel, exits, writes } = setUp();
    expect(channel.receive(encodeTerminalFrame({ kind: "exit", code: 130 }))).toBe(true);
    expect(exits).toEqual([130]);
    expect(channel.receive(Uint8Array.of())).toBe(false);
    expect(channel.receive(Uint8Array.of(7, 1))).toBe(false);
    expect(channel.receive(encodeTerminalFrame({ kind: "resize", cols: 80, rows: 24 }))).toBe(false);
    expect(writes).toEqual([]);
  });
});
