import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { AGENT_SESSION_HEADER, AuthbridgeError, RELAY_AGENT_PATH, RELAY_BROWSER_PATH, RELAY_SUBPROTOCOL, TICKET_SUBPROTOCOL_PREFIX } from "@authbridge/protocol";
import type { Logger } from "pino";
import type { WebSocket, WebSocketServer } from "ws";
import { bearerCredential } from "../auth/bearer.js";
import type { TicketStore } from "../auth/tickets.js";
import { SESSION_ENDED, type Session } from "../sessions/session.js";
import type { SessionStore } from "../sessions/session-store.js";
import type { Heartbeat } from "./heartbeat.js";
import { refuseUpgrade } from "./refuse.js";
import type { Role } from "./side.js";

export interface UpgradeDeps {
  wss: WebSocketServer;
  store: SessionStore;
  tickets: TicketStore;
  /** Console origins allowed on the browser door. */
  allowedOrigins: readonly string[];
  heartbeat: Heartbeat;
  logger: Logger;
  /** Told the code of every refused upgrade (metrics). */
  onRefused?: (code: string) => void;
}

export type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * The `upgrade` listener. Every check runs before `handleUpgrade`, so a
 * refused client gets an HTTP error response and never a WebSocket.
 */
export function createUpgradeHandler(deps: UpgradeDeps): UpgradeListener {
  const { wss, logger } = deps;
  const allowedOrigins = new Set(deps.allowedOrigins);

  function admit(req: IncomingMessage): { session: Session; role: Role } {
    const path = pathOf(req);
    if (path === RELAY_AGENT_PATH) return { session: admitAgent(req), role: "agent" };
    if (path === RELAY_BROWSER_PATH) return { session: admitBrowser(req), role: "browser" };
    throw new AuthbridgeError("NotFound", `no WebSocket endpoint at ${path}`);
  }

  function admitAgent(req: IncomingMessage): Session {
    const token = bearerCredential(req.headers.authorization);
    const sessionId = req.headers[AGENT_SESSION_HEADER];
    const refused = new AuthbridgeError("Unauthorized", `the agent needs Authorization: Bearer <agent token> and ${AGENT_SESSION_HEADER} of a live session`);
    if (token === undefined || typeof sessionId !== "string") throw refused;
    const session = deps.store.findById(sessionId);
    if (session === undefined || session.ended || !session.agentTokenMatches(token)) throw refused;
    if (session.hasAgent()) throw new AuthbridgeError("AgentAlreadyAttached", "an agent is already attached to this session");
    return session;
  }

  function admitBrowser(req: IncomingMessage): Session {
    const offered = offeredProtocols(req);
    const tickets = offered.filter((protocol) => protocol.startsWith(TICKET_SUBPROTOCOL_PREFIX)).map((protocol) => protocol.slice(TICKET_SUBPROTOCOL_PREFIX.length));
    // Every ticket offered is used up by this attempt, whatever its outcome.
    const redemptions = tickets.map((ticket) => deps.tickets.redeem(ticket));

    const origin = req.headers.origin;
    if (origin === undefined) throw new AuthbridgeError("OriginNotAllowed", "the browser socket needs an Origin header");
    if (!allowedOrigins.has(origin)) throw new AuthbridgeError("OriginNotAllowed", "this origin may not open the console socket");
    if (!offered.includes(RELAY_SUBPROTOCOL)) throw new AuthbridgeError("TicketInvalid", `offer the ${RELAY_SUBPROTOCOL} sub-protocol together with a ticket`);

    const invalid = new AuthbridgeError("TicketInvalid", "the ticket is missing, unknown, expired or already used; ask the portal for a new one");
    const [redemption, ...extra] = redemptions;
    if (redemption === undefined || extra.length > 0 || !redemption.ok) throw invalid;
    const session = deps.store.findById(redemption.claim.sessionId);
    if (session === undefined || session.ended || !session.ownedBy(redemption.claim.user)) throw invalid;
    // One browser per session: the first keeps it. A second console is
    // refused until the first leaves, so an open console is never hijacked
    // by a stale tab or by someone holding a leaked ticket.
    if (session.hasBrowser()) throw new AuthbridgeError("BrowserAlreadyAttached", "a console is already attached to this session; close it first");
    return session;
  }

  return (req, socket, head) => {
    socket.on("error", (error) => logger.debug({ err: error }, "upgrade socket error"));
    let admitted: { session: Session; role: Role };
    try {
      admitted = admit(req);
    } catch (error) {
      const refusal = error instanceof AuthbridgeError ? error : new AuthbridgeError("Internal", "the upgrade could not be checked");
      if (!(error instanceof AuthbridgeError)) logger.error({ err: error }, "upgrade check failed");
      logger.info({ path: pathOf(req), code: refusal.code }, "upgrade refused");
      deps.onRefused?.(refusal.code);
      refuseUpgrade(socket, refusal);
      return;
    }
    const { session, role } = admitted;
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      // The checks above ran synchronously with the upgrade; re-check in case the session changed meanwhile.
      if (session.ended) return ws.close(SESSION_ENDED.code, SESSION_ENDED.reason);
      if (role === "agent" ? session.hasAgent() : session.hasBrowser()) return ws.close(1013, `${role} already attached`);
      deps.heartbeat.track(ws);
      session.attach(role, ws);
    });
  };
}

function offeredProtocols(req: IncomingMessage): string[] {
  const header = req.headers["sec-websocket-protocol"];
  if (header === undefined) return [];
  return header
    .split(",")
    .map((protocol) => protocol.trim())
    .filter((protocol) => protocol !== "");
}

function pathOf(req: IncomingMessage): string {
  try {
    return new URL(req.url ?? "/", "http://relay.invalid").pathname;
  } catch {
    return "";
  }
}
