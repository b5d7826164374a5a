import {
  encodeFrame,
  parseRelayFrameText,
  POST_MESSAGE_CHANNEL,
  PROTOCOL_VERSION,
  RELAY_SUBPROTOCOL,
  SESSION_ENDED_CLOSE_CODE,
  TICKET_SUBPROTOCOL_PREFIX,
  type ConnectMessage,
  type ConsoleToPortalMessage,
  type InboundMessage,
  type TokenRequestFrame,
  type TokenResponseFrame,
  type TokenResponseMessage,
} from "@authbridge/protocol";
import { reconnectDelay } from "./backoff.js";
import { guardPortalMessage } from "./message-guard.js";
import { PendingRequests } from "./pending-requests.js";
import type { ConsoleState } from "./status.js";

/** How many request rows the page keeps. */
export const MAX_REQUEST_RECORDS = 100;

/** The socket operations the bridge needs; `main.ts` adapts a real `WebSocket`. */
export interface RelaySocket {
  send(text: string): void;
  /** Sends a binary (terminal) frame; false when the socket is not open. */
  sendBinary?(frame: Uint8Array): boolean;
  close(code?: number, reason?: string): void;
}
export interface RelaySocketHandlers {
  onOpen(): void;
  onMessage(data: unknown): void;
  onClose(code: number): void;
}
export type OpenRelaySocket = (url: string, protocols: string[], handlers: RelaySocketHandlers) => RelaySocket;

/** One row of the requests list. Never holds a token. */
export interface RequestRecord {
  readonly id: string;
  readonly resource: string;
  readonly startedAt: number;
  /** `pending`, `ok`, or the error code the request ended with. */
  readonly outcome: string;
  readonly durationMs?: number;
}

export interface ConsoleView {
  readonly state: ConsoleState;
  /** The last relay error frame, for humans. */
  readonly detail?: string;
  /** Messages and frames the console dropped (foreign origin, wrong window, malformed, replayed, late). */
  readonly ignored: number;
  /** Oldest first (the newest is last). */
  readonly requests: readonly RequestRecord[];
}

export interface ConsoleBridgeDeps {
  readonly portalOrigin: string;
  /** The window allowed to talk to us: `window.parent`. */
  readonly parent: unknown;
  /** Posts to the parent window; the bridge always passes `portalOrigin` as target. */
  readonly postMessage: (message: ConsoleToPortalMessage, targetOrigin: string) => void;
  readonly openSocket: OpenRelaySocket;
  readonly now: () => number;
  /** Runs `fn` after `ms`; returns a cancel function. */
  readonly setTimer: (fn: () => void, ms: number) => () => void;
  readonly onChange: (view: ConsoleView) => void;
  /** Binary frames from the relay: the terminal's. */
  readonly onTerminalFrame?: (frame: Uint8Array) => void;
}

export interface ConsoleBridge {
  /** Posts the first `ready`. */
  start(): void;
  /** Feed every `message` event of the window here. */
  handleMessage(event: InboundMessage): void;
  view(): ConsoleView;
  /** Sends a terminal frame over the relay socket; false when there is none. */
  sendTerminal(frame: Uint8Array): boolean;
}

/**
 * The console's core: relay WebSocket on one side, postMessage to the portal
 * on the other. Pure apart from its injected dependencies.
 */
export function createConsoleBridge(deps: ConsoleBridgeDeps): ConsoleBridge {
  const pending = new PendingRequests(deps.now);
  const expiryTimers = new Map<string, () => void>();
  let state: ConsoleState = "waiting";
  let detail: string | undefined;
  let ignored = 0;
  let requests: RequestRecord[] = [];
  let socket: RelaySocket | null = null;
  /** Bumped per socket so late events of an old socket are dropped. */
  let generation = 0;
  /** `ready`s posted since the last `welcome`: picks the next backoff delay. */
  let reconnectAttempt = 0;
  let cancelReconnect: (() => void) | null = null;

  function view(): ConsoleView {
    return { state, ignored, requests, ...(detail === undefined ? {} : { detail }) };
  }
  function changed(): void {
    deps.onChange(view());
  }
  function setState(next: ConsoleState): void {
    state = next;
    changed();
  }
  function ignore(): void {
    ignored += 1;
    changed();
  }

  function postReady(): void {
    deps.postMessage({ channel: POST_MESSAGE_CHANNEL, v: PROTOCOL_VERSION, type: "ready" }, deps.portalOrigin);
  }

  function record(entry: RequestRecord): void {
    const index = requests.findIndex((r) => r.id === entry.id);
    requests = index === -1 ? [...requests, entry].slice(-MAX_REQUEST_RECORDS) : requests.map((r, i) => (i === index ? entry : r));
  }
  function finish(id: string, outcome: string): void {
    const existing = requests.find((r) => r.id === id);
    if (existing === undefined) return;
    record({ ...existing, outcome, durationMs: Math.max(0, deps.now() - existing.startedAt) });
  }
  function stopExpiryTimer(id: string): void {
    expiryTimers.get(id)?.();
    expiryTimers.delete(id);
  }

  function connect(message: ConnectMessage): void {
    if (socket !== null || state === "ended") {
      ignore();
      return;
    }
    cancelReconnect?.();
    cancelReconnect = null;
    detail = undefined;
    const mine = ++generation;
    const current = () => mine === generation;
    setState("connecting");
    socket = deps.openSocket(message.relayUrl, [RELAY_SUBPROTOCOL, `${TICKET_SUBPROTOCOL_PREFIX}${message.ticket}`], {
      onOpen: () => {
        if (current()) sendHello();
      },
      onMessage: (data) => {
        if (current()) onFrame(data);
      },
      onClose: (code) => {
        if (current()) onClose(code);
      },
    });
  }

  function sendHello(): void {
    socket?.send(encodeFrame({ v: PROTOCOL_VERSION, type: "hello", role: "browser", protocol: PROTOCOL_VERSION }));
  }

  function onFrame(data: unknown): void {
    // Binary frames are the terminal's.
    if (data instanceof ArrayBuffer) {
      deps.onTerminalFrame?.(new Uint8Array(data));
      return;
    }
    if (typeof data !== "string") return;
    const parsed = parseRelayFrameText(data);
    if (!parsed.ok) {
      ignore();
      return;
    }
    const frame = parsed.value;
    switch (frame.type) {
      case "welcome":
        reconnectAttempt = 0;
        setState(frame.peer ? "ready" : "no-agent");
        return;
      case "peer":
        setState(frame.state === "connected" ? "ready" : "no-agent");
        return;
      case "token.request":
        onTokenRequest(frame);
        return;
      case "error":
        detail = `${frame.code}: ${frame.message}`;
        if (frame.id !== undefined && pending.take(frame.id) !== undefined) {
          stopExpiryTimer(frame.id);
          finish(frame.id, frame.code);
        }
        changed();
        return;
      default:
        // hello / token.response travel the other way.
        ignore();
    }
  }

  function onTokenRequest(frame: TokenRequestFrame): void {
    const startedAt = deps.now();
    const added = pending.add({ id: frame.id, resource: frame.resource, deadline: frame.deadline, startedAt });
    if (added === "duplicate") {
      ignore();
      return;
    }
    record({ id: frame.id, resource: frame.resource, startedAt, outcome: "pending" });
    if (added === "expired") {
      // Already past its deadline on arrival: nobody waits for an answer.
      finish(frame.id, "Timeout");
      changed();
      return;
    }
    expiryTimers.set(
      frame.id,
      deps.setTimer(
        () => {
          expiryTimers.delete(frame.id);
          if (pending.expire(frame.id) !== undefined) {
            finish(frame.id, "Timeout");
            changed();
          }
        },
        Math.max(0, frame.deadline - startedAt + 1),
      ),
    );
    // Ask the portal first: redrawing the request list is not on the token's path.
    deps.postMessage(
      {
        channel: POST_MESSAGE_CHANNEL,
        v: PROTOCOL_VERSION,
        type: "token.request",
        id: frame.id,
        resource: frame.resource,
        deadline: frame.deadline,
      },
      deps.portalOrigin,
    );
    changed();
  }

  function onTokenResponse(message: TokenResponseMessage): void {
    const request = pending.take(message.id);
    if (request === undefined || socket === null) {
      // Unknown id, already answered (a replay) or past its deadline.
      ignore();
      return;
    }
    stopExpiryTimer(message.id);
    socket.send(encodeFrame(toFrame(message)));
    finish(message.id, message.ok ? "ok" : message.error.code);
    changed();
  }

  function onClose(code: number): void {
    socket = null;
    for (const request of pending.clear()) {
      stopExpiryTimer(request.id);
      finish(request.id, "BrowserDisconnected");
    }
    if (code === SESSION_ENDED_CLOSE_CODE) {
      setState("ended");
      return;
    }
    setState("disconnected");
    scheduleReady();
  }

  /** Posts `ready` after the next backoff delay, and again until a `connect` arrives. */
  function scheduleReady(): void {
    cancelReconnect = deps.setTimer(() => {
      cancelReconnect = null;
      if (socket !== null || state === "ended") return;
      reconnectAttempt += 1;
      postReady();
      scheduleReady();
    }, reconnectDelay(reconnectAttempt));
  }

  return {
    start() {
      setState("waiting");
      postReady();
    },
    handleMessage(event) {
      const verdict = guardPortalMessage(event, { origin: deps.portalOrigin, source: deps.parent });
      if (!verdict.accepted) {
        ignore();
        return;
      }
      const message = verdict.message;
      if (message.type === "connect") connect(message);
      else onTokenResponse(message);
    },
    view,
    sendTerminal(frame) {
      return socket?.sendBinary?.(frame) ?? false;
    },
  };
}

/** The relay frame for a portal answer: the same fields without the envelope's `channel`. */
export function toFrame(message: TokenResponseMessage): TokenResponseFrame {
  return message.ok
    ? { v: PROTOCOL_VERSION, type: "token.response", id: message.id, ok: true, token: message.token }
    : { v: PROTOCOL_VERSION, type: "token.response", id: message.id, ok: false, error: message.error };
}
