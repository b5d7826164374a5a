import { createServer, type Server } from "node:http";
import { isIP } from "node:net";
import { DEFAULT_TICKET_TTL_MS, MAX_FRAME_BYTES, RELAY_AGENT_PATH, RELAY_SUBPROTOCOL } from "@authbridge/protocol";
import type { Logger } from "pino";
import { WebSocketServer } from "ws";
import { createJwksKeySource } from "./auth/jwks.js";
import { createTicketStore } from "./auth/tickets.js";
import { createUserVerifier } from "./auth/verify-user.js";
import { systemClock } from "./clock.js";
import { createApp } from "./http/app.js";
import { createRelayLogger } from "./logger.js";
import { createRelayMetrics } from "./metrics.js";
import type { Relay, RelayOptions } from "./relay-options.js";
import { readSessionStateFile, type SessionRecord } from "./sessions/session-state-file.js";
import { createSessionStore } from "./sessions/session-store.js";
import { startHeartbeat } from "./ws/heartbeat.js";
import { createUpgradeHandler } from "./ws/upgrade.js";

const DEFAULT_HOST = "127.0.0.1";
const DEFAULT_PING_INTERVAL_MS = 15_000;
const DEFAULT_MAX_SESSIONS_PER_USER = 5;
const DEFAULT_SESSION_IDLE_MS = 15 * 60_000;
const DEFAULT_REATTACH_MS = 60_000;
/** Close code for the sockets when the relay itself shuts down. */
const GOING_AWAY = { code: 1001, reason: "relay shutting down" } as const;

/** Starts the relay: HTTP API, both WebSocket doors, heartbeat; resolves once it listens. */
export async function startRelay(options: RelayOptions): Promise<Relay> {
  const host = options.host ?? DEFAULT_HOST;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createRelayLogger();
  const allowedOrigins = options.allowedOrigins.map((origin) => normaliseOrigin(origin, "allowedOrigins"));
  const corsOrigins = options.corsOrigins.map((origin) => normaliseOrigin(origin, "corsOrigins"));
  if (!URL.canParse(options.consoleUrl)) throw new TypeError(`consoleUrl: ${JSON.stringify(options.consoleUrl)} is not a URL`);

  const tickets = createTicketStore({ clock, ttlMs: options.ticketTtlMs ?? DEFAULT_TICKET_TTL_MS });
  const verifier = createUserVerifier({ issuer: options.auth.issuer, audience: options.auth.audience, keys: createJwksKeySource(options.auth), clock });
  let wsBase = "";
  let closing: Promise<void> | undefined;
  const metrics = createRelayMetrics(() => store.count());
  const store = createSessionStore({
    metrics,
    launcher: options.launcher,
    tickets,
    clock,
    logger,
    relayAgentUrl: () => `${wsBase}${RELAY_AGENT_PATH}`,
    maxSessionsPerUser: options.maxSessionsPerUser ?? DEFAULT_MAX_SESSIONS_PER_USER,
    sessionIdleMs: options.sessionIdleMs ?? DEFAULT_SESSION_IDLE_MS,
    reattachMs: options.reattachMs ?? DEFAULT_REATTACH_MS,
    ...(options.stateFile === undefined ? {} : { stateFile: options.stateFile }),
  });
  if (options.stateFile !== undefined) store.restore(loadSessions(options.stateFile, logger));

  const server = createServer(createApp({ verifier, store, tickets, consoleUrl: options.consoleUrl, corsOrigins, logger, metrics, ready: () => closing === undefined }));
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxPayload ?? MAX_FRAME_BYTES,
    // Select only the relay protocol; the ticket protocol is never echoed.
    handleProtocols: (protocols) => (protocols.has(RELAY_SUBPROTOCOL) ? RELAY_SUBPROTOCOL : false),
  });
  const heartbeat = startHeartbeat({
    intervalMs: options.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS,
    onTerminate: () => logger.info("socket missed its pong; terminated"),
  });
  server.on("upgrade", createUpgradeHandler({ wss, store, tickets, allowedOrigins, heartbeat, logger, onRefused: (code) => metrics.upgradeRefused(code) }));

  const port = await listen(server, options.port ?? 0, host);
  const authority = `${formatHost(host)}:${port}`;
  wsBase = `ws://${authority}`;
  logger.info({ url: `http://${authority}` }, "relay listening");

  return {
    url: `http://${authority}`,
    wsUrl: wsBase,
    port,
    sessionCount: () => store.count(),
    close() {
      closing ??= (async () => {
        logger.info("relay closing");
        server.close();
        await store.shutdown(GOING_AWAY.code, GOING_AWAY.reason);
        for (const client of wss.clients) client.terminate();
        heartbeat.stop();
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        server.closeAllConnections();
      })();
      return closing;
    },
  };
}

/** The sessions a previous relay left; a file that cannot be used is reported and replaced by the next write. */
function loadSessions(stateFile: string, logger: Logger): SessionRecord[] {
  const read = readSessionStateFile(stateFile);
  if (!read.ok) {
    logger.warn({ stateFile, reason: read.reason }, "the session state file is not usable; starting with no sessions");
    return [];
  }
  logger.info({ stateFile, sessions: read.sessions.length }, "sessions restored from the state file");
  return read.sessions;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const address = server.address();
      if (address === null || typeof address === "string") reject(new Error("the relay is not listening on a TCP port"));
      else resolve(address.port);
    });
  });
}

/** The host to put in URLs: a wildcard bind is reached on loopback; IPv6 literals get brackets. */
function formatHost(host: string): string {
  if (host === "0.0.0.0") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return isIP(host) === 6 ? `[${host}]` : host;
}

function normaliseOrigin(origin: string, option: string): string {
  let url: URL;
  try {
    url = new URL(origin);
  } catch (error) {
    throw new TypeError(`${option}: ${JSON.stringify(origin)} is not an origin like https://host:port`, { cause: error });
  }
  if (url.origin === "null") throw new TypeError(`${option}: ${JSON.stringify(origin)} has no origin`);
  return url.origin;
}
