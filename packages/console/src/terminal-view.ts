import { FitAddon } from "@xterm/addon-fit";
import { Terminal } from "@xterm/xterm";
import "@xterm/xterm/css/xterm.css";
import type { ConsoleState } from "./status.js";
import { createTerminalChannel, type TerminalChannel } from "./terminal-channel.js";

export interface TerminalViewDeps {
  /** Where xterm renders; it is fitted to this element's size. */
  host: HTMLElement;
  /** Sends a binary frame over the relay socket; false when there is none. */
  send(frame: Uint8Array): boolean;
  /** Writes to the clipboard (copy). */
  copy(text: string): void;
}

export interface TerminalView {
  /** Feed every binary frame from the relay here. */
  receive(frame: Uint8Array): void;
  /** Feed every console state change here. */
  setState(state: ConsoleState): void;
}

const DIM = "\x1b[2m";
const BOLD = "\x1b[1m";
const RESET = "\x1b[0m";

/**
 * The terminal in the iframe: xterm.js fitted to its host, attached to the
 * session's shell whenever the console is `ready` (the relay pairs us with
 * the container), reset on each new attachment because the container replays
 * its recent output then.
 *
 * Copy: select and press Ctrl+Shift+C (or use the browser's copy on a
 * selection). Paste: Ctrl+Shift+V, Ctrl+V or Shift+Insert.
 */
export function createTerminalView(deps: TerminalViewDeps): TerminalView {
  const term = new Terminal({
    cursorBlink: true,
    convertEol: false,
    scrollback: 5000,
    fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace',
    fontSize: 14,
    theme: { background: "#1e1e1e", foreground: "#d4d4d4" },
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.open(deps.host);

  let state: ConsoleState = "waiting";
  /** The shell exited: no more input. */
  let ended = false;
  let sessionEnded = false;
  const channel: TerminalChannel = createTerminalChannel({
    send: (frame) => deps.send(frame),
    write: (data, done) => term.write(data, done),
    onExit: (code) => {
      ended = true;
      term.write(`\r\n${BOLD}[The shell exited with code ${code}.]${RESET}\r\n`);
    },
  });

  term.onData((text) => {
    if (state === "ready" && !ended) channel.input(text);
  });
  term.onBinary((text) => {
    if (state === "ready" && !ended) channel.input(text);
  });
  term.onResize(({ cols, rows }) => {
    if (state === "ready") channel.resize(cols, rows);
  });
  term.attachCustomKeyEventHandler((event) => {
    if (event.type !== "keydown") return true;
    const key = event.key.toLowerCase();
    if (event.ctrlKey && event.shiftKey && key === "c") {
      if (term.hasSelection()) deps.copy(term.getSelection());
      return false;
    }
    // Let the browser fire its paste event; xterm turns it into input (bracketed when the shell asks).
    if (event.ctrlKey && !event.shiftKey && key === "v") return false;
    if (event.ctrlKey && event.shiftKey && key === "v") return false;
    return true;
  });

  const refit = (): void => {
    if (deps.host.clientWidth > 0 && deps.host.clientHeight > 0) fit.fit();
  };
  new ResizeObserver(refit).observe(deps.host);
  refit();

  return {
    receive(frame) {
      if (!ended) channel.receive(frame);
    },
    setState(next) {
      const previous = state;
      state = next;
      if (next === previous) return;
      if (next === "ready") {
        // A (re)attachment: the container replays its recent output, so start from a clean screen.
        channel.reset();
        term.reset();
        refit();
        channel.resize(term.cols, term.rows);
        term.focus();
      } else if (next === "ended" && !sessionEnded) {
        ended = true;
        sessionEnded = true;
        term.write(`\r\n${BOLD}[The session has ended. Open a new one from the portal.]${RESET}\r\n`);
      } else if (previous === "ready" && (next === "disconnected" || next === "no-agent")) {
        term.write(`\r\n${DIM}[${next === "disconnected" ? "Connection lost; reconnecting…" : "The container is away; waiting for it…"}]${RESET}\r\n`);
      }
    },
  };
}
