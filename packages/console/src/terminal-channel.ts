import { MAX_TERMINAL_COLS, MAX_TERMINAL_ROWS, TERMINAL_CHUNK_BYTES, decodeTerminalFrame, encodeTerminalData, encodeTerminalFrame } from "@authbridge/protocol";

/** Acknowledge rendered output at least every this many bytes (and whenever the writer catches up). */
export const ACK_EVERY_BYTES = 32 * 1024;

export interface TerminalChannelDeps {
  /** Sends one binary frame to the relay; false when there is no open socket. */
  send(frame: Uint8Array): boolean;
  /** Renders output; `done` runs once the terminal has processed it (xterm's write callback). */
  write(data: Uint8Array, done: () => void): void;
  /** The shell ended with this exit code. */
  onExit(code: number): void;
}

export interface TerminalChannel {
  /** A binary frame from the relay. Returns false when it was invalid (and dropped). */
  receive(frame: Uint8Array): boolean;
  /** Keystrokes or pasted text, as xterm hands them over. */
  input(text: string): void;
  /** The terminal's size changed (or the session (re)attached): tells the shell. */
  resize(cols: number, rows: number): void;
  /** A new attachment: rendered-but-unacknowledged counts of the old one are dropped. */
  reset(): void;
}

/**
 * The console's half of the terminal protocol: decodes output frames and
 * acknowledges them once rendered (the agent pauses the shell while a window
 * of output is unacknowledged, so a slow browser slows the shell instead of
 * piling bytes up in the relay), and encodes input and resizes.
 */
export function createTerminalChannel(deps: TerminalChannelDeps): TerminalChannel {
  const encoder = new TextEncoder();
  let generation = 0;
  let writing = 0;
  let unacked = 0;

  function flush(): void {
    if (unacked === 0) return;
    if (deps.send(encodeTerminalFrame({ kind: "ack", bytes: unacked }))) unacked = 0;
  }

  return {
    receive(frame) {
      const parsed = decodeTerminalFrame(frame);
      if (!parsed.ok) return false;
      const value = parsed.value;
      if (value.kind === "data") {
        const mine = generation;
        writing += 1;
        deps.write(value.data, () => {
          if (mine !== generation) return;
          writing -= 1;
          unacked += value.data.byteLength;
          if (writing === 0 || unacked >= ACK_EVERY_BYTES) flush();
        });
        return true;
      }
      if (value.kind === "exit") {
        deps.onExit(value.code);
        return true;
      }
      // resize and ack travel the other way.
      return false;
    },
    input(text) {
      const bytes = encoder.encode(text);
      for (const frame of encodeTerminalData(bytes, TERMINAL_CHUNK_BYTES)) deps.send(frame);
    },
    resize(cols, rows) {
      if (cols < 1 || rows < 1) return;
      deps.send(encodeTerminalFrame({ kind: "resize", cols: Math.min(cols, MAX_TERMINAL_COLS), rows: Math.min(rows, MAX_TERMINAL_ROWS) }));
    },
    reset() {
      generation += 1;
      writing = 0;
      unacked = 0;
    },
  };
}
