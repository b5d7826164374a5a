import type { OpenRelaySocket } from "./bridge.js";

/** Adapts the browser `WebSocket` to the bridge's `RelaySocket`. */
export const openBrowserRelaySocket: OpenRelaySocket = (url, protocols, handlers) => {
  let ws: WebSocket;
  try {
    ws = new WebSocket(url, protocols);
  } catch {
    // A malformed URL throws synchronously; report it like a failed handshake.
    queueMicrotask(() => handlers.onClose(1006));
    return { send: () => undefined, sendBinary: () => false, close: () => undefined };
  }
  ws.binaryType = "arraybuffer";
  ws.addEventListener("open", () => handlers.onOpen());
  ws.addEventListener("message", (event: MessageEvent<unknown>) => handlers.onMessage(event.data));
  ws.addEventListener("close", (event) => handlers.onClose(event.code));
  return {
    send: (text) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(text);
    },
    sendBinary: (frame) => {
      if (ws.readyState !== WebSocket.OPEN) return false;
      ws.send(frame);
      return true;
    },
    close: (code, reason) => ws.close(code, reason),
  };
};
