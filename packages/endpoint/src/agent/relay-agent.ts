import { randomBytes } from "node:crypto";
import {
  AGENT_SESSION_HEADER,
  AuthbridgeError,
  DEFAULT_REQUEST_TIMEOUT_MS,
  MAX_FRAME_BYTES,
  PROTOCOL_VERSION,
  RELAY_SUBPROTOCOL,
  SESSION_ENDED_CLOSE_CODE,
  describeParseError,
  encodeFrame,
  parseRelayFrameText,
  type RelayFrame,
  type Token,
} from "@authbridge/protocol";
import type { Logger } from "pino";
import { WebSocket, type RawData } from "ws";
import { systemClock, type Clock } from "../clock.js";
import { silentLogger } from "../logger.js";
import { MESSAGES, remoteErrorMessage, timeoutMessage } from "../messages.js";
import { createBackoff, type BackoffOptions } from "./backoff.js";
import { createPendingRequests } from "./pending-requests.js";

const HANDSHAKE_TIMEOUT_MS = 10_000;
const CLOSE_GRACE_MS = 1_000;
/**
 * The relay answers an agent upgrade with 401 when it knows no session with
 * this id and token: the session ended while we were away (or a relay without
 * a state file restarted). Retrying cannot help, so the agent ends.
 */
const SESSION_GONE_STATUS = 401;

/**
 * - `connecting`: opening the socket or waiting for `welcome`
 * - `connected`: welcomed by the relay
 * - `disconnected`: lost the relay, a reconnect is scheduled
 * - `ended`: the relay closed with 4000 or no longer knows the session (401); no reconnect
 * - `closed`: `close()` was called
 */
export type RelayState = "connecting" | "connected" | "disconnected" | "ended" | "closed";

export interface RelayAgentStatus {
  relay: RelayState;
  /** A browser is attached to the session (as last told by the relay). */
  browser: boolean;
}

/** Where tokens come from: the relay agent, or a fake in tests. */
export interface TokenSource {
  requestToken(resource: string): Promise<Token>;
}

export interface RelayAgent extends TokenSource {
  /** Opens the connection (and keeps reopening it until closed or ended). */
  start(): void;
  status(): RelayAgentStatus;
  /** Token requests waiting for the browser. */
  readonly pendingCount: number;
  /** Rejects pending requests with `ShuttingDown` and closes the socket. */
  close(): Promise<void>;
  /**
   * Sends a terminal (binary) frame when connected; `sent` runs once `ws` has
   * handed it to the kernel (or failed). False when there is no open socket.
   */
  sendTerminal(frame: Uint8Array, sent?: () => void): boolean;
  /** Bytes queued on the relay socket and not yet written (0 without a socket). */
  bufferedAmount(): number;
}

export interface RelayAgentOptions {
  /** `ws://…/ws/agent` or `wss://…`. */
  url: string;
  sessionId: string;
  agentToken: string;
  requestTimeoutMs?: number;
  clock?: Clock;
  logger?: Logger;
  reconnect?: Omit<BackoffOptions, "random">;
  /** Uniform [0, 1) for jitter; injectable for tests. */
  random?: () => number;
  onSessionEnded?: () => void;
  onStatus?: (status: RelayAgentStatus) => void;
  /** A binary (terminal) frame from the browser, as received; the caller parses it. */
  onTerminalFrame?: (frame: Uint8Array) => void;
}

export function createRelayAgent(options: RelayAgentOptions): RelayAgent {
  const url = new URL(options.url);
  if (url.protocol !== "ws:" && url.protocol !== "wss:") {
    throw new TypeError(`relay URL must be ws:// or wss://, got ${url.protocol}`);
  }
  const clock = options.clock ?? systemClock;
  const log = (options.logger ?? silentLogger()).child({ component: "relay-agent" });
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const backoff = createBackoff({ ...options.reconnect, ...(options.random === undefined ? {} : { random: options.random }) });
  const pending = createPendingRequests<Token>();

  let state: RelayState = "connecting";
  let browser = false;
  let started = false;
  let socket: WebSocket | undefined;
  let reconnectTimer: NodeJS.Timeout | undefined;

  function setStatus(next: RelayState, nextBrowser: boolean): void {
    if (next === state && nextBrowser === browser) return;
    state = next;
    browser = nextBrowser;
    log.info({ relay: state, browser }, "relay status");
    options.onStatus?.({ relay: state, browser });
  }

  function unavailable(): AuthbridgeError {
    return new AuthbridgeError("RelayUnavailable", state === "ended" ? MESSAGES.SessionEnded : MESSAGES.RelayUnavailable);
  }

  function connect(): void {
    reconnectTimer = undefined;
    setStatus("connecting", false);
    const ws = new WebSocket(url, RELAY_SUBPROTOCOL, {
      headers: { authorization: `Bearer ${options.agentToken}`, [AGENT_SESSION_HEADER]: options.sessionId },
      handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
      maxPayload: MAX_FRAME_BYTES,
      perMessageDeflate: false,
    });
    socket = ws;
    let refusedWith: number | undefined;
    ws.on("unexpected-response", (_request, response) => {
      refusedWith = response.statusCode;
      response.resume();
      ws.terminate();
    });
    ws.on("open", () => {
      if (socket !== ws) return;
      ws.send(encodeFrame({ v: PROTOCOL_VERSION, type: "hello", role: "agent", protocol: PROTOCOL_VERSION }));
    });
    ws.on("message", (data, isBinary) => {
      if (socket !== ws) return;
      if (isBinary) {
        if (options.onTerminalFrame === undefined) log.warn("binary frame dropped");
        else options.onTerminalFrame(rawToBytes(data));
        return;
      }
      const parsed = parseRelayFrameText(rawToString(data));
      if (!parsed.ok) {
        log.warn({ reason: describeParseError(parsed.error) }, "invalid frame dropped");
        return;
      }
      onFrame(parsed.value);
    });
    ws.on("error", (error) => {
      if (socket !== ws) return;
      log.warn({ reason: error.message }, "relay socket error");
    });
    ws.on("close", (code) => {
      if (socket !== ws) return;
      socket = undefined;
      if (refusedWith !== undefined) log.warn({ status: refusedWith }, "relay refused the agent");
      onClose(code, code === SESSION_ENDED_CLOSE_CODE || refusedWith === SESSION_GONE_STATUS);
    });
  }

  function onFrame(frame: RelayFrame): void {
    switch (frame.type) {
      case "welcome":
        if (frame.sessionId !== options.sessionId) log.warn("welcome names another session");
        backoff.reset();
        setStatus("connected", frame.peer);
        return;
      case "peer":
        if (frame.state === "connected") {
          setStatus(state, true);
        } else {
          setStatus(state, false);
          pending.rejectAll(() => new AuthbridgeError("BrowserDisconnected", MESSAGES.BrowserDisconnected));
        }
        return;
      case "token.response":
        if (frame.ok) {
          if (!pending.resolve(frame.id, frame.token)) log.debug({ id: frame.id }, "response for unknown id dropped");
        } else if (!pending.reject(frame.id, new AuthbridgeError(frame.error.code, remoteErrorMessage(frame.error.code, frame.error.message)))) {
          log.debug({ id: frame.id }, "response for unknown id dropped");
        }
        return;
      case "error":
        if (frame.id !== undefined && pending.reject(frame.id, new AuthbridgeError(frame.code, remoteErrorMessage(frame.code, frame.message)))) {
          return;
        }
        log.warn({ code: frame.code, id: frame.id }, "relay error");
        return;
      case "hello":
      case "token.request":
        log.warn({ type: frame.type }, "unexpected frame dropped");
        return;
    }
  }

  function onClose(code: number, sessionOver: boolean): void {
    if (state === "closed") return;
    if (sessionOver) {
      setStatus("ended", false);
      pending.rejectAll(unavailable);
      log.info("session ended");
      try {
        options.onSessionEnded?.();
      } catch (error) {
        log.error({ reason: error instanceof Error ? error.message : String(error) }, "onSessionEnded threw");
      }
      return;
    }
    setStatus("disconnected", false);
    pending.rejectAll(unavailable);
    const delay = backoff.next();
    log.info({ code, delayMs: delay }, "relay connection lost; reconnecting");
    reconnectTimer = setTimeout(connect, delay);
  }

  return {
    start() {
      if (started) return;
      started = true;
      connect();
    },
    status() {
      return { relay: state, browser };
    },
    get pendingCount() {
      return pending.size;
    },
    requestToken(resource) {
      const ws = socket;
      if (state !== "connected" || ws === undefined || ws.readyState !== WebSocket.OPEN) return Promise.reject(unavailable());
      if (!browser) return Promise.reject(new AuthbridgeError("BrowserNotConnected", MESSAGES.BrowserNotConnected));
      const id = randomBytes(12).toString("base64url");
      const answer = pending.add(id, requestTimeoutMs, () => new AuthbridgeError("Timeout", timeoutMessage(requestTimeoutMs)));
      const frame = encodeFrame({ v: PROTOCOL_VERSION, type: "token.request", id, resource, deadline: clock.now() + requestTimeoutMs });
      ws.send(frame, (error) => {
        if (error !== undefined && error !== null) pending.reject(id, unavailable());
      });
      return answer;
    },
    sendTerminal(frame, sent) {
      const ws = socket;
      if (state !== "connected" || ws === undefined || ws.readyState !== WebSocket.OPEN) return false;
      ws.send(frame, { binary: true }, () => sent?.());
      return true;
    },
    bufferedAmount() {
      return socket?.bufferedAmount ?? 0;
    },
    async close() {
      if (state === "closed") return;
      setStatus("closed", false);
      if (reconnectTimer !== undefined) clearTimeout(reconnectTimer);
      pending.rejectAll(() => new AuthbridgeError("ShuttingDown", MESSAGES.ShuttingDown));
      const ws = socket;
      socket = undefined;
      if (ws === undefined || ws.readyState === WebSocket.CLOSED) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          ws.terminate();
          resolve();
        }, CLOSE_GRACE_MS);
        ws.once("close", () => {
          clearTimeout(timer);
          resolve();
        });
        if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
        else ws.close(1000, "endpoint closing");
      });
    },
  };
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString("utf8");
  if (Buffer.isBuffer(data)) return data.toString("utf8");
  return Buffer.from(data).toString("utf8");
}

function rawToBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (Buffer.isBuffer(data)) return data;
  return new Uint8Array(data);
}
