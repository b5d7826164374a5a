import "./style.css";
import { createConsoleBridge } from "./bridge.js";
import { loadConsoleConfig } from "./config.js";
import { openBrowserRelaySocket } from "./relay-socket.js";
import { createTerminalView, type TerminalView } from "./terminal-view.js";
import { findElements, renderConsole, renderStatus } from "./view.js";

async function main(): Promise<void> {
  const elements = findElements(document);
  const loaded = await loadConsoleConfig(fetch.bind(window));
  if (!loaded.ok) {
    elements.configError.textContent = loaded.message;
    elements.configError.hidden = false;
    renderStatus(elements.status, "error", 0);
    return;
  }
  const { portalOrigin } = loaded.config;
  const bridge = createConsoleBridge({
    portalOrigin,
    parent: window.parent,
    postMessage: (message, targetOrigin) => window.parent.postMessage(message, targetOrigin),
    openSocket: openBrowserRelaySocket,
    now: () => Date.now(),
    setTimer: (fn, ms) => {
      const handle = window.setTimeout(fn, ms);
      return () => window.clearTimeout(handle);
    },
    onChange: (view) => {
      renderConsole(elements, view);
      terminal.setState(view.state);
    },
    onTerminalFrame: (frame) => terminal.receive(frame),
  });
  const terminal: TerminalView = createTerminalView({
    host: elements.terminal,
    send: (frame) => bridge.sendTerminal(frame),
    copy: (text) => void navigator.clipboard.writeText(text).catch(() => undefined),
  });
  window.addEventListener("message", (event: MessageEvent<unknown>) => {
    bridge.handleMessage({ origin: event.origin, source: event.source, data: event.data });
  });
  bridge.start();
}

void main();
