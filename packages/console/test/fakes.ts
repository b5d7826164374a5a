import type { ConsoleToPortalMessage } from "@authbridge/protocol";
import { FakeClock } from "../../../test-support/fake-clock.js";
import { createConsoleBridge, type ConsoleBridge, type ConsoleView, type RelaySocketHandlers } from "../src/bridge.js";

export { FakeClock };

export const PORTAL = "http://localhost:4000";
export const TICKET = "AbCdEfGhIjKlMnOpQrStUvWxYz012345";
export const RELAY_URL = "ws://127.0.0.1:5000/ws/browser";

export class FakeSocket {
  sent: unknown[] = [];
  closed = false;
  constructor(
    readonly url: string,
    readonly protocols: string[],
    readonly handlers: RelaySocketHandlers,
  ) {}
  send = (text: string): void => {
    this.sent.push(JSON.parse(text));
  };
  close = (): void => {
    this.closed = true;
  };
  /** Relay side helpers. */
  open(): void {
    this.handlers.onOpen();
  }
  receive(frame: unknown): void {
    this.handlers.onMessage(typeof frame === "string" ? frame : JSON.stringify(frame));
  }
  closeFromRelay(code: number): void {
    this.handlers.onClose(code);
  }
}

export interface Harness {
  bridge: ConsoleBridge;
  clock: FakeClock;
  parent: object;
  posted: { message: ConsoleToPortalMessage; targetOrigin: string }[];
  sockets: FakeSocket[];
  views: ConsoleView[];
  /** A message event from the portal (right origin, right window). */
  fromPortal(data: unknown): void;
  lastView(): ConsoleView;
  socket(): FakeSocket;
}

export function harness(): Harness {
  const clock = new FakeClock();
  const parent = {};
  const posted: Harness["posted"] = [];
  const sockets: FakeSocket[] = [];
  const views: ConsoleView[] = [];
  const bridge = createConsoleBridge({
    portalOrigin: PORTAL,
    parent,
    postMessage: (message, targetOrigin) => posted.push({ message, targetOrigin }),
    openSocket: (url, protocols, handlers) => {
      const socket = new FakeSocket(url, protocols, handlers);
      sockets.push(socket);
      return socket;
    },
    now: clock.now,
    setTimer: clock.setTimer,
    onChange: (view) => views.push(view),
  });
  return {
    bridge,
    clock,
    parent,
    posted,
    sockets,
    views,
    fromPortal: (data) => bridge.handleMessage({ origin: PORTAL, source: parent, data }),
    lastView: () => bridge.view(),
    socket: () => {
      const socket = sockets.at(-1);
      if (socket === undefined) throw new Error("no socket opened");
      return socket;
    },
  };
}

export const connect = (ticket = TICKET) => ({ channel: "authbridge", v: 1, type: "connect", relayUrl: RELAY_URL, ticket });
export const welcome = (peer: boolean) => ({ v: 1, type: "welcome", sessionId: "s1", peer });
export const tokenRequest = (id: string, deadline: number, resource = "https://management.azure.com/") => ({
  v: 1,
  type: "token.request",
  id,
  resource,
  deadline,
});
export const okResponse = (id: string, resource = "https://management.azure.com/") => ({
  channel: "authbridge",
  v: 1,
  type: "token.response",
  id,
  ok: true,
  token: { accessToken: "eyJ.secret.token", expiresOn: 1_700_003_600, tokenType: "Bearer", resource },
});
export const errorResponse = (id: string, code = "PolicyRefused") => ({
  channel: "authbridge",
  v: 1,
  type: "token.response",
  id,
  ok: false,
  error: { code, message: "refused" },
});

/** A harness already connected, with the container attached. */
export function connectedHarness(): Harness {
  const h = harness();
  h.bridge.start();
  h.fromPortal(connect());
  h.socket().open();
  h.socket().receive(welcome(true));
  return h;
}
