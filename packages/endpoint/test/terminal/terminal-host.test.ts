import { TERMINAL_CHUNK_BYTES, decodeTerminalFrame, encodeTerminalFrame, type TerminalFrame } from "@authbridge/protocol";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createTerminalHost, type SpawnShellOptions, type TerminalHost } from "../../src/index.js";
import { captureLogs } from "../helpers/log-capture.js";
import { FakePty } from "./fake-pty.js";

const WINDOW = 64 * 1024;

function decoded(frames: Uint8Array[]): TerminalFrame[] {
  return frames.map((frame) => {
    const parsed = decodeTerminalFrame(frame);
    if (!parsed.ok) throw new Error("the host sent an invalid frame");
    return parsed.value;
  });
}
function text(frames: Uint8Array[]): string {
  return decoded(frames)
    .map((frame) => (frame.kind === "data" ? Buffer.from(frame.data).toString("utf8") : ""))
    .join("");
}

describe("the terminal host", () => {
  let sent: Uint8Array[];
  let connected: boolean;
  let buffered: number;
  let ptys: FakePty[];
  let exits: number[];
  let host: TerminalHost;

  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
    connected = true;
    buffered = 0;
    ptys = [];
    exits = [];
    host = createTerminalHost({
      link: {
        send: (frame, done) => {
          if (!connected) return false;
          sent.push(frame);
          done();
          return true;
        },
        bufferedAmount: () => buffered,
      },
      spawn: (options: SpawnShellOptions) => {
        const pty = new FakePty(options);
        ptys.push(pty);
        return Promise.resolve(pty);
      },
      shell: { file: "/bin/bash", args: ["-l"], cwd: "/home/alice", env: { TERM: "xterm-256color" } },
      graceMs: 60_000,
      windowBytes: WINDOW,
      replayBytes: 1024,
      logger: captureLogs().logger,
      onShellExit: (code) => exits.push(code),
    });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  async function started(cols = 100, rows = 30): Promise<FakePty> {
    host.browserAttached(true);
    host.onFrame(encodeTerminalFrame({ kind: "resize", cols, rows }));
    await vi.waitFor(() => expect(ptys).toHaveLength(1));
    const pty = ptys[0];
    if (pty === undefined) throw new Error("no pty");
    return pty;
  }

  it("starts one login shell at the browser's first resize, with its size, and resizes it after", async () => {
    host.browserAttached(true);
    expect(ptys).toHaveLength(0);
    const pty = await started(120, 40);
    expect(pty.options).toMatchObject({ file: "/bin/bash", args: ["-l"], cwd: "/home/alice", cols: 120, rows: 40 });
    host.onFrame(encodeTerminalFrame({ kind: "resize", cols: 80, rows: 24 }));
    expect(pty.sizes).toEqual([[80, 24]]);
    expect(ptys).toHaveLength(1);
  });

  it("writes the browser's keystrokes to the shell and drops invalid frames", async () => {
    const pty = await started();
    host.onFrame(encodeTerminalFrame({ kind: "data", data: new TextEncoder().encode("echo $$\r") }));
    host.onFrame(Uint8Array.of(9, 9));
    host.onFrame(encodeTerminalFrame({ kind: "exit", code: 0 }));
    expect(pty.written).toEqual(["echo $$\r"]);
    expect(exits).toEqual([]);
  });

  it("sends output in chunks no larger than one frame", async () => {
    const pty = await started();
    pty.emit("x".repeat(TERMINAL_CHUNK_BYTES * 2 + 10));
    expect(sent.map((frame) => frame.byteLength)).toEqual([TERMINAL_CHUNK_BYTES + 1, TERMINAL_CHUNK_BYTES + 1, 11]);
  });

  it("pauses the shell once a window of output is unacknowledged and resumes below half of it", async () => {
    const pty = await started();
    pty.emit("y".repeat(WINDOW - 1));
    expect(pty.paused).toBe(false);
    pty.emit("y");
    expect(pty.paused).toBe(true);
    expect(host.stats().unacked).toBe(WINDOW);
    host.onFrame(encodeTerminalFrame({ kind: "ack", bytes: WINDOW / 4 }));
    expect(pty.paused).toBe(true);
    host.onFrame(encodeTerminalFrame({ kind: "ack", bytes: WINDOW / 2 }));
    expect(pty.paused).toBe(false);
    expect(host.stats().unacked).toBe(WINDOW / 4);
  });

  it("pauses the shell while the relay socket is backed up", async () => {
    const pty = await started();
    buffered = 2 * 1024 * 1024;
    pty.emit("z");
    expect(pty.paused).toBe(true);
    buffered = 0;
    host.onFrame(encodeTerminalFrame({ kind: "ack", bytes: 1 }));
    expect(pty.paused).toBe(false);
  });

  it("keeps output while detached and replays the most recent bytes to the next browser", async () => {
    const pty = await started();
    pty.emit("before ");
    host.browserAttached(false);
    pty.emit("while away ".repeat(200));
    const sentWhileAway = sent.length;
    sent = [];
    expect(sentWhileAway).toBe(1);
    host.browserAttached(true);
    const replay = text(sent);
    expect(replay).toHaveLength(1024);
    expect(replay.endsWith("while away ")).toBe(true);
  });

  it("terminates the shell when no browser comes back within the grace period", async () => {
    const pty = await started();
    host.browserAttached(false);
    vi.advanceTimersByTime(59_999);
    expect(pty.signals).toEqual([]);
    host.browserAttached(true);
    host.browserAttached(false);
    vi.advanceTimersByTime(59_999);
    expect(pty.signals).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(pty.signals).toEqual(["SIGHUP"]);
    expect(exits).toEqual([129]);
  });

  it("tells the browser the shell's exit code when it exits, once", async () => {
    const pty = await started();
    pty.exit(3);
    pty.exit(3);
    expect(decoded(sent)).toEqual([{ kind: "exit", code: 3 }]);
    expect(exits).toEqual([3]);
  });

  it("a shell that cannot start shows exit code 127 in the browser and leaves the endpoint running", async () => {
    const failing = createTerminalHost({
      link: { send: (frame, done) => (sent.push(frame), done(), true), bufferedAmount: () => 0 },
      spawn: () => Promise.reject(new Error("posix_spawnp failed")),
      shell: { file: "/bin/nope", args: [], cwd: "/", env: {} },
      graceMs: 1000,
      logger: captureLogs().logger,
      onShellExit: (code) => exits.push(code),
    });
    failing.browserAttached(true);
    failing.onFrame(encodeTerminalFrame({ kind: "resize", cols: 80, rows: 24 }));
    await vi.waitFor(() => expect(decoded(sent)).toEqual([{ kind: "exit", code: 127 }]));
    failing.onFrame(encodeTerminalFrame({ kind: "resize", cols: 80, rows: 24 }));
    expect(exits).toEqual([]);
    expect(failing.stats().running).toBe(false);
  });

  it("close terminates the shell", async () => {
    const pty = await started();
    await host.close();
    expect(pty.signals).toEqual(["SIGHUP"]);
    expect(host.stats().running).toBe(false);
  });
});
