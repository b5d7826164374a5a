import {
  AGENT_TERMINAL_KINDS,
  BROWSER_TERMINAL_KINDS,
  describeParseError,
  checkAgentFrameText,
  checkBrowserFrameText,
  encodeFrame,
  PROTOCOL_VERSION,
  SESSION_ENDED_CLOSE_CODE,
  SESSION_ENDED_CLOSE_REASON,
  terminalFrameKind,
  type AgentFrame,
  type BrowserFrame,
  type Checked,
  type HelloFrame,
  type ParseResult,
} from "@authbridge/protocol";
import type { Logger } from "pino";
import type { RawData, WebSocket } from "ws";
import { agentTokenMatches } from "../auth/agent-token.js";
import { sameUser, type RelayUser } from "../auth/user.js";
import type { Clock } from "../clock.js";
import type { LaunchedAgent } from "../launchers/launcher.js";
import { NO_SESSION_METRICS, type SessionMetrics } from "../metrics.js";
import { frameBytes, frameText, Side, type Role } from "../ws/side.js";
import { createPendingRequests, type PendingRequests } from "./pending-requests.js";
import type { SessionRecord } from "./session-state-file.js";

/** Above this many bytes queued on the receiving socket, the relay drops terminal data instead of buffering it. */
export const MAX_TERMINAL_BUFFERED_BYTES = 4 * 1024 * 1024;

/** Close code and reason that tell both sides the session is over (do not reconnect). */
export const SESSION_ENDED = { code: SESSION_ENDED_CLOSE_CODE, reason: SESSION_ENDED_CLOSE_REASON } as const;

export interface SessionOptions {
  id: string;
  owner: RelayUser;
  agentTokenDigest: Buffer;
  /** Epoch ms. */
  createdAt: number;
  clock: Clock;
  logger: Logger;
  /** No browser attached for this long ends the session. */
  idleMs: number;
  /**
   * Set for a session restored from the state file: its agent must attach and
   * say hello within this long, or the session ends (its endpoint is gone).
   */
  reattachMs?: number;
  maxPendingRequests: number;
  maxRequestWaitMs: number;
  /** Runs once, synchronously, when the session starts ending. */
  onEnded(session: Session): void;
  metrics?: SessionMetrics;
}

export interface SessionStatus {
  sessionId: string;
  agent: boolean;
  browser: boolean;
  endpointUrl?: string;
}

/**
 * One session: pairs at most one agent with at most one browser and forwards
 * `token.request` (agent → browser) and `token.response` (browser → agent).
 * Every forwarded request is pending until answered, timed out, or the
 * browser leaves; each of these ends with exactly one frame to the agent.
 */
export class Session {
  readonly id: string;
  readonly owner: RelayUser;
  /** Epoch ms. */
  readonly createdAt: number;
  endpointUrl: string | undefined;
  readonly #options: SessionOptions;
  readonly #logger: Logger;
  readonly #pending: PendingRequests;
  #agent: Side | undefined;
  #browser: Side | undefined;
  #launched: LaunchedAgent | undefined;
  #idleTimer: NodeJS.Timeout | undefined;
  #reattachTimer: NodeJS.Timeout | undefined;
  #ending: Promise<void> | undefined;
  #droppedTerminalFrames = 0;
  readonly #metrics: SessionMetrics;
  /** When each pending request was forwarded, for the round-trip histogram. */
  #forwardedAt: Map<string, number> | undefined;

  constructor(options: SessionOptions) {
    this.id = options.id;
    this.owner = { ...options.owner };
    this.createdAt = options.createdAt;
    this.#options = options;
    this.#logger = options.logger.child({ sessionId: options.id });
    this.#metrics = options.metrics ?? NO_SESSION_METRICS;
    this.#pending = createPendingRequests({
      clock: options.clock,
      maxPending: options.maxPendingRequests,
      maxWaitMs: options.maxRequestWaitMs,
      onTimeout: (id) => {
        this.#logger.info({ id }, "token request timed out");
        this.#forwardedAt?.delete(id);
        this.#metrics.outcome("Timeout");
        this.#agent?.sendError("Timeout", "the browser did not answer before the deadline", id);
      },
    });
    this.#startIdleTimer();
    if (options.reattachMs !== undefined) this.#startReattachTimer(options.reattachMs);
  }

  /** True once the session ended, or was released by a relay shutting down: this relay is done with it. */
  get ended(): boolean {
    return this.#ending !== undefined;
  }

  ownedBy(user: RelayUser): boolean {
    return sameUser(this.owner, user);
  }

  agentTokenMatches(token: string): boolean {
    return agentTokenMatches(token, this.#options.agentTokenDigest);
  }

  hasAgent(): boolean {
    return this.#agent !== undefined;
  }

  hasBrowser(): boolean {
    return this.#browser !== undefined;
  }

  /**
   * Whether ending the session stops an endpoint process the relay owns (one
   * the local launcher started). False for a restored session and for one of
   * the external launcher: their endpoints run on their own.
   */
  get ownsEndpoint(): boolean {
    return this.#launched !== undefined && this.#launched.external !== true;
  }

  /** What the state file keeps of this session. */
  record(): SessionRecord {
    const record: SessionRecord = { id: this.id, owner: { ...this.owner }, agentTokenDigest: this.#options.agentTokenDigest, createdAt: this.createdAt };
    if (this.endpointUrl !== undefined) record.endpointUrl = this.endpointUrl;
    return record;
  }

  /** `agent`/`browser` are true once that side is attached and said hello. */
  status(): SessionStatus {
    const status: SessionStatus = { sessionId: this.id, agent: this.#agent?.ready === true, browser: this.#browser?.ready === true };
    if (this.endpointUrl !== undefined) status.endpointUrl = this.endpointUrl;
    return status;
  }

  /** Takes ownership of the launched endpoint: its exit ends the session; ending the session stops it. */
  adoptLaunched(agent: LaunchedAgent): Promise<void> {
    if (this.ended) return stopQuietly(agent, this.#logger);
    this.#launched = agent;
    this.endpointUrl = agent.endpointUrl;
    agent.onExit((code) => {
      this.#logger.info({ code }, "endpoint exited; ending session");
      void this.end();
    });
    return Promise.resolve();
  }

  /** Attaches an upgraded socket; the caller has checked that the role is free. */
  attach(role: Role, socket: WebSocket): void {
    const side = new Side(role, socket, this.#logger);
    if (role === "agent") this.#agent = side;
    else {
      this.#browser = side;
      this.#stopIdleTimer();
    }
    this.#logger.info({ role }, "side attached");
    socket.on("message", (data, isBinary) => this.#onMessage(side, data, isBinary));
    socket.once("close", (code) => this.#onClose(side, code));
  }

  /**
   * Ends the session: closes both sockets (4000 "session ended" unless told
   * otherwise), stops the launched endpoint. Idempotent.
   */
  end(code: number = SESSION_ENDED.code, reason: string = SESSION_ENDED.reason): Promise<void> {
    if (this.#ending !== undefined) return this.#ending;
    this.#logger.info({ code }, "session ending");
    const closing = this.#closeSides(code, reason);
    const launched = this.#launched;
    this.#ending = Promise.all([closing, launched === undefined ? undefined : stopQuietly(launched, this.#logger)]).then(() => undefined);
    this.#options.onEnded(this);
    return this.#ending;
  }

  /**
   * Lets go of the session without ending it, for a relay that shuts down and
   * leaves the session in its state file for the next one: closes both
   * sockets with `code` (1001, so the agent reconnects), stops the timers and
   * leaves the endpoint running. `onEnded` is not called. Idempotent.
   */
  release(code: number, reason: string): Promise<void> {
    if (this.#ending !== undefined) return this.#ending;
    this.#logger.info({ code }, "session released to the next relay");
    this.#ending = this.#closeSides(code, reason);
    return this.#ending;
  }

  #closeSides(code: number, reason: string): Promise<void> {
    this.#stopIdleTimer();
    this.#stopReattachTimer();
    this.#pending.drain();
    this.#forwardedAt = undefined;
    return Promise.all([this.#agent?.close(code, reason), this.#browser?.close(code, reason)]).then(() => undefined);
  }

  #onMessage(side: Side, data: RawData, isBinary: boolean): void {
    if (this.ended) return;
    if (isBinary) {
      this.#onTerminalFrame(side, data);
      return;
    }
    const text = frameText(data);
    if (side.role === "agent") {
      const parsed = checkAgentFrameText(text);
      if (this.#admit(side, parsed)) this.#onAgentFrame(side, parsed.value, text);
    } else {
      const parsed = checkBrowserFrameText(text);
      if (this.#admit(side, parsed)) this.#onBrowserFrame(side, parsed.value, text);
    }
  }

  /** Rejects unparsable frames and anything but a first `hello`; handles `hello` itself. */
  #admit<F extends AgentFrame | BrowserFrame>(side: Side, parsed: ParseResult<Checked<F>>): parsed is { ok: true; value: Checked<Exclude<F, HelloFrame>> } {
    if (!parsed.ok) {
      side.protocolError(`invalid frame: ${describeParseError(parsed.error)}`);
      return false;
    }
    const frame = parsed.value.value;
    this.#logger.debug({ role: side.role, type: frame.type, id: "id" in frame ? frame.id : undefined }, "frame received");
    if (frame.type === "hello") {
      this.#onHello(side, frame);
      return false;
    }
    if (!side.ready) {
      side.protocolError(`send hello before ${frame.type}`, frame.id);
      return false;
    }
    return true;
  }

  #onHello(side: Side, hello: HelloFrame): void {
    if (side.ready) return side.protocolError("hello was already received");
    if (hello.role !== side.role) return side.protocolError(`this is the ${side.role} socket; hello must have role "${side.role}"`);
    side.ready = true;
    if (side.role === "agent") this.#stopReattachTimer();
    const other = this.#other(side);
    side.send({ v: PROTOCOL_VERSION, type: "welcome", sessionId: this.id, peer: other?.ready === true });
    if (other?.ready === true) other.send({ v: PROTOCOL_VERSION, type: "peer", state: "connected" });
    this.#logger.info({ role: side.role, peer: other?.ready === true }, "side said hello");
  }

  #onAgentFrame(agent: Side, checked: Checked<Exclude<AgentFrame, HelloFrame>>, text: string): void {
    const frame = checked.value;
    const { id, resource } = frame;
    const browser = this.#browser;
    if (browser?.ready !== true) {
      this.#logger.info({ id, resource }, "token request while no browser is attached");
      this.#metrics.outcome("BrowserNotConnected");
      return agent.sendError("BrowserNotConnected", "no browser is attached to this session; open the console in the portal", id);
    }
    const outcome = this.#pending.add(id, frame.deadline);
    switch (outcome) {
      case "duplicate":
        return agent.protocolError(`request ${id} is already pending`, id);
      case "full":
        return agent.sendError("RelayUnavailable", `more than ${this.#options.maxPendingRequests} token requests are pending; try again shortly`, id);
      case "expired":
        return agent.sendError("Timeout", "the request's deadline has already passed", id);
      case "added":
        this.#logger.debug({ id, resource, deadline: frame.deadline }, "token request forwarded");
        // Created on first use: most sessions sit idle, and an empty Map per session is memory at 10,000 sessions.
        (this.#forwardedAt ??= new Map()).set(id, performance.now());
        return browser.sendValidated(forwardable(checked, text));
    }
  }

  #onBrowserFrame(browser: Side, checked: Checked<Exclude<BrowserFrame, HelloFrame>>, text: string): void {
    const frame = checked.value;
    const { id } = frame;
    if (this.#pending.settle(id)) {
      this.#logger.debug({ id, ok: frame.ok }, "token response forwarded");
      const forwardedAt = this.#forwardedAt?.get(id);
      this.#forwardedAt?.delete(id);
      if (forwardedAt !== undefined) this.#metrics.roundTrip(performance.now() - forwardedAt);
      this.#metrics.outcome(frame.ok ? "ok" : frame.error.code);
      this.#agent?.sendValidated(forwardable(checked, text));
    } else if (this.#pending.timedOut(id)) {
      this.#logger.info({ id }, "late token response dropped");
    } else {
      browser.sendError("UnknownRequest", `no token request with id ${id} is pending`, id);
    }
  }

  /**
   * Terminal frames (binary) go to the other side as they are, once both said hello.
   * Only the kinds the sender may send pass; data for a browser whose socket
   * already holds more than `MAX_TERMINAL_BUFFERED_BYTES` is dropped, so a
   * misbehaving agent cannot make the relay buffer without bound (a well-behaved
   * one stops at its flow-control window long before).
   */
  #onTerminalFrame(side: Side, data: RawData): void {
    const bytes = frameBytes(data);
    const kind = terminalFrameKind(bytes);
    const allowed = side.role === "agent" ? AGENT_TERMINAL_KINDS : BROWSER_TERMINAL_KINDS;
    if (kind === undefined || !allowed.includes(kind)) {
      side.protocolError(`a ${side.role} may not send terminal frame kind ${String(bytes[0])}`);
      return;
    }
    if (!side.ready) {
      side.protocolError("send hello before terminal frames");
      return;
    }
    const other = this.#other(side);
    if (other?.ready !== true) return;
    if (kind === "data" && other.socket.bufferedAmount > MAX_TERMINAL_BUFFERED_BYTES) {
      this.#droppedTerminalFrames += 1;
      if (this.#droppedTerminalFrames === 1) this.#logger.warn({ role: other.role }, "terminal data dropped: the receiving socket is not draining");
      return;
    }
    other.sendBinary(bytes);
  }

  #onClose(side: Side, code: number): void {
    this.#logger.info({ role: side.role, code }, "side left");
    if (side.role === "agent" && this.#agent === side) this.#agent = undefined;
    if (side.role === "browser" && this.#browser === side) this.#browser = undefined;
    if (this.ended) return;
    const other = this.#other(side);
    if (side.role === "browser") {
      for (const id of this.#pending.drain()) {
        other?.sendError("BrowserDisconnected", "the browser left before answering", id);
        this.#metrics.outcome("BrowserDisconnected");
      }
      this.#forwardedAt = undefined;
      this.#startIdleTimer();
    } else {
      // Nobody is left to receive the answers.
      this.#pending.drain();
      this.#forwardedAt = undefined;
    }
    if (side.ready && other?.ready === true) other.send({ v: PROTOCOL_VERSION, type: "peer", state: "disconnected" });
  }

  #other(side: Side): Side | undefined {
    return side.role === "agent" ? this.#browser : this.#agent;
  }

  #startIdleTimer(): void {
    this.#stopIdleTimer();
    this.#idleTimer = setTimeout(() => {
      this.#logger.info({ idleMs: this.#options.idleMs }, "no browser attached; ending idle session");
      void this.end();
    }, this.#options.idleMs);
    this.#idleTimer.unref();
  }

  #stopIdleTimer(): void {
    if (this.#idleTimer !== undefined) clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
  }

  #startReattachTimer(reattachMs: number): void {
    this.#reattachTimer = setTimeout(() => {
      this.#logger.info({ reattachMs }, "the restored session's agent did not come back; ending the session");
      void this.end();
    }, reattachMs);
    this.#reattachTimer.unref();
  }

  #stopReattachTimer(): void {
    if (this.#reattachTimer !== undefined) clearTimeout(this.#reattachTimer);
    this.#reattachTimer = undefined;
  }
}

async function stopQuietly(agent: LaunchedAgent, logger: Logger): Promise<void> {
  try {
    await agent.stop();
  } catch (error) {
    logger.warn({ err: error }, "stopping the endpoint failed");
  }
}

/**
 * The text to forward for a frame that passed its parser: the frame's own text
 * when the parser dropped nothing from it (re-encoding a 1.7 KiB token cost
 * ~25% of the relay's CPU per frame), else the frame re-encoded, so a field the
 * schema does not know (say, a token smuggled into an error response) never
 * reaches the other side.
 */
function forwardable(checked: Checked<AgentFrame | BrowserFrame>, text: string): string {
  return checked.verbatim ? text : encodeFrame(checked.value);
}
