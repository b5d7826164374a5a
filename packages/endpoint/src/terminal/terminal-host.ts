import { TERMINAL_WINDOW_BYTES, decodeTerminalFrame, describeParseError, encodeTerminalData, encodeTerminalFrame } from "@authbridge/protocol";
import type { Logger } from "pino";
import type { PtyProcess, SpawnShell } from "./pty.js";
import { RingBuffer } from "./ring-buffer.js";

/** How the host reaches the browser: the relay agent's binary side. */
export interface TerminalLink {
  /** Queues one binary frame; `sent` runs once it left the process. False when not connected. */
  send(frame: Uint8Array, sent: () => void): boolean;
  /** Bytes queued on the relay socket, not yet written. */
  bufferedAmount(): number;
}

export interface ShellCommand {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
}

export interface TerminalHostOptions {
  link: TerminalLink;
  spawn: SpawnShell;
  shell: ShellCommand;
  /** A detached browser may come back within this long; then the shell is terminated. */
  graceMs: number;
  /** Recent output kept for a reattaching browser (default 128 KiB). */
  replayBytes?: number;
  /** Unacknowledged output before the PTY is paused (default `TERMINAL_WINDOW_BYTES`). */
  windowBytes?: number;
  /** Bytes queued on the relay socket before the PTY is paused (default 1 MiB). */
  maxBufferedBytes?: number;
  logger: Logger;
  /** The shell ended (it exited, or it was terminated after the grace period). Runs once; not when it never started. */
  onShellExit(code: number): void;
}

export interface TerminalHostStats {
  running: boolean;
  paused: boolean;
  /** Output bytes sent and not yet acknowledged by the browser. */
  unacked: number;
  /** Largest `unacked` + relay socket backlog seen. */
  peakInFlight: number;
  outputBytes: number;
  pid?: number;
}

export interface TerminalHost {
  /** A binary frame from the browser, unparsed. */
  onFrame(bytes: Uint8Array): void;
  /** The relay says a browser is (or no longer is) attached to the session. */
  browserAttached(attached: boolean): void;
  stats(): TerminalHostStats;
  /** Terminates the shell (if any) and waits briefly for it to go. */
  close(): Promise<void>;
}

export const DEFAULT_REPLAY_BYTES = 128 * 1024;
export const DEFAULT_MAX_BUFFERED_BYTES = 1024 * 1024;
const KILL_WAIT_MS = 2_000;
/** The exit code shown when the shell could not be started at all (as a shell reports "command not found"). */
export const SPAWN_FAILED_EXIT_CODE = 127;

/**
 * One login shell in a PTY, shared by whichever browser is attached.
 *
 * - The shell starts at the first `resize` a browser sends (so the PTY has its size from the start).
 * - Output goes out in chunks of `TERMINAL_CHUNK_BYTES`; the PTY is paused while more than
 *   `windowBytes` are unacknowledged by the browser or the relay socket holds more than
 *   `maxBufferedBytes`, and resumed below half of each. So the endpoint's memory is bounded, and
 *   a token frame never queues behind more than one window of terminal output.
 * - While no browser is attached, output only goes to the replay ring; a browser that attaches
 *   gets the ring first. If none attaches within `graceMs`, the shell is terminated.
 */
export function createTerminalHost(options: TerminalHostOptions): TerminalHost {
  const log = options.logger.child({ component: "terminal" });
  const windowBytes = options.windowBytes ?? TERMINAL_WINDOW_BYTES;
  const maxBuffered = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
  const ring = new RingBuffer(options.replayBytes ?? DEFAULT_REPLAY_BYTES);

  let pty: PtyProcess | undefined;
  let spawning = false;
  let exited = false;
  let closing = false;
  let attached = false;
  let paused = false;
  let unacked = 0;
  let peakInFlight = 0;
  let outputBytes = 0;
  let pendingSize: { cols: number; rows: number } | undefined;
  let graceTimer: NodeJS.Timeout | undefined;
  let exitWaiters: (() => void)[] = [];

  function send(bytes: Uint8Array): void {
    if (!attached) return;
    for (const frame of encodeTerminalData(bytes)) {
      if (!options.link.send(frame, checkResume)) return;
      unacked += frame.byteLength - 1;
    }
    peakInFlight = Math.max(peakInFlight, unacked + options.link.bufferedAmount());
    checkPause();
  }

  function checkPause(): void {
    if (pty === undefined || paused || !attached) return;
    if (unacked >= windowBytes || options.link.bufferedAmount() >= maxBuffered) {
      pty.pause();
      paused = true;
    }
  }

  function checkResume(): void {
    if (pty === undefined || !paused) return;
    if (!attached || (unacked < windowBytes / 2 && options.link.bufferedAmount() < maxBuffered / 2)) {
      pty.resume();
      paused = false;
    }
  }

  async function start(cols: number, rows: number): Promise<void> {
    spawning = true;
    try {
      const child = await options.spawn({ ...options.shell, cols, rows });
      pty = child;
      log.info({ pid: child.pid, cols, rows, cwd: options.shell.cwd }, "shell started");
      child.onData((text) => {
        const bytes = Buffer.from(text, "utf8");
        outputBytes += bytes.byteLength;
        ring.push(bytes);
        send(bytes);
      });
      child.onExit(({ exitCode, signal }) => onExit(exitCode, signal));
      if (closing) child.kill("SIGHUP");
      if (pendingSize !== undefined) child.resize(pendingSize.cols, pendingSize.rows);
      if (!attached) startGraceTimer();
    } catch (error) {
      // The token endpoint keeps serving; the browser's terminal shows that there is no shell.
      log.error({ reason: error instanceof Error ? error.message : String(error) }, "the shell could not start");
      exited = true;
      if (attached) options.link.send(encodeTerminalFrame({ kind: "exit", code: SPAWN_FAILED_EXIT_CODE }), () => undefined);
    } finally {
      spawning = false;
    }
  }

  function onExit(exitCode: number, signal: number | undefined): void {
    if (exited) return;
    exited = true;
    stopGraceTimer();
    log.info({ exitCode, signal }, "shell exited");
    if (attached) options.link.send(encodeTerminalFrame({ kind: "exit", code: exitCode }), () => undefined);
    for (const wake of exitWaiters.splice(0)) wake();
    options.onShellExit(exitCode);
  }

  function startGraceTimer(): void {
    stopGraceTimer();
    if (pty === undefined || exited) return;
    graceTimer = setTimeout(() => {
      graceTimer = undefined;
      log.info({ graceMs: options.graceMs }, "no browser came back within the grace period; terminating the shell");
      pty?.kill("SIGHUP");
    }, options.graceMs);
    graceTimer.unref();
  }

  function stopGraceTimer(): void {
    if (graceTimer !== undefined) clearTimeout(graceTimer);
    graceTimer = undefined;
  }

  return {
    onFrame(bytes) {
      const parsed = decodeTerminalFrame(bytes);
      if (!parsed.ok) {
        log.warn({ reason: describeParseError(parsed.error) }, "invalid terminal frame dropped");
        return;
      }
      const frame = parsed.value;
      switch (frame.kind) {
        case "resize":
          if (exited || closing) return;
          if (pty !== undefined) pty.resize(frame.cols, frame.rows);
          else if (spawning) pendingSize = { cols: frame.cols, rows: frame.rows };
          else void start(frame.cols, frame.rows);
          return;
        case "data":
          if (pty !== undefined && !exited) pty.write(Buffer.from(frame.data));
          return;
        case "ack":
          unacked = Math.max(0, unacked - frame.bytes);
          checkResume();
          return;
        case "exit":
          log.warn("exit frame from the browser dropped");
          return;
      }
    },
    browserAttached(next) {
      if (next === attached) return;
      attached = next;
      unacked = 0;
      if (next) {
        stopGraceTimer();
        if (pty !== undefined && !exited) {
          log.info({ replayBytes: ring.size }, "browser attached; replaying recent output");
          send(ring.contents());
        }
      } else {
        checkResume();
        startGraceTimer();
      }
    },
    stats() {
      return { running: pty !== undefined && !exited, paused, unacked, peakInFlight, outputBytes, ...(pty === undefined ? {} : { pid: pty.pid }) };
    },
    async close() {
      closing = true;
      stopGraceTimer();
      const child = pty;
      if (child === undefined || exited) return;
      const gone = new Promise<void>((resolve) => exitWaiters.push(resolve));
      child.kill("SIGHUP");
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          child.kill("SIGKILL");
          resolve();
        }, KILL_WAIT_MS);
      });
      await Promise.race([gone, late]);
      clearTimeout(timer);
      exitWaiters = [];
    },
  };
}
