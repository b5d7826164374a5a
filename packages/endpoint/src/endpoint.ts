import { DEFAULT_ALLOWLIST, DEFAULT_ENDPOINT_HOST, DEFAULT_ENDPOINT_PORT, DEFAULT_REQUEST_TIMEOUT_MS, createAllowlist } from "@authbridge/protocol";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import { createRelayAgent } from "./agent/relay-agent.js";
import { createTokenCache } from "./cache/token-cache.js";
import { systemClock, type Clock } from "./clock.js";
import { createAdminApp } from "./http/admin-app.js";
import { createEndpointServer } from "./http/server.js";
import { DEFAULT_BODY_TIMEOUT_MS, DEFAULT_MAX_BODY_BYTES, createTokenHandler } from "./http/token-route.js";
import { createLogger } from "./logger.js";

export interface EndpointOptions {
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default 50342; 0 picks a free port. */
  port?: number;
  /** `ws://…/ws/agent`. */
  relayUrl: string;
  sessionId: string;
  agentToken: string;
  /** Default `DEFAULT_ALLOWLIST`. */
  allowlist?: Iterable<string>;
  /** How long a token request may wait for the browser. Default 30 s. */
  requestTimeoutMs?: number;
  /** Default 8 KiB. */
  maxBodyBytes?: number;
  clock?: Clock;
  /** Default: pino JSON on stdout at `info`, tokens redacted. */
  logger?: Logger;
  reconnect?: { initialDelayMs?: number; maxDelayMs?: number };
  /** The relay closed the agent socket with 4000: the session is over. */
  onSessionEnded?: () => void;
}

export interface Endpoint {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Stops accepting, lets in-flight requests finish (bounded by their deadline), then closes relay socket and server. */
  close(): Promise<void>;
}

/** Extra time a graceful close grants beyond the longest request deadline. */
const CLOSE_SLACK_MS = 2_000;

/** Starts the token endpoint on loopback and its relay agent. Resolves once listening. */
export async function startEndpoint(options: EndpointOptions): Promise<Endpoint> {
  const host = options.host ?? DEFAULT_ENDPOINT_HOST;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger();
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const allowlist = createAllowlist(options.allowlist ?? DEFAULT_ALLOWLIST);

  const agent = createRelayAgent({
    url: options.relayUrl,
    sessionId: options.sessionId,
    agentToken: options.agentToken,
    requestTimeoutMs,
    clock,
    logger,
    ...(options.reconnect === undefined ? {} : { reconnect: options.reconnect }),
    ...(options.onSessionEnded === undefined ? {} : { onSessionEnded: options.onSessionEnded }),
  });
  const tokenHandler = createTokenHandler({
    cache: createTokenCache({ clock }),
    allowlist,
    tokens: agent,
    clock,
    logger,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
  });
  const app = createAdminApp({ status: () => agent.status(), logger });
  const { server, inFlight, beginShutdown } = createEndpointServer({ tokenHandler, app });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host, port: options.port ?? DEFAULT_ENDPOINT_PORT }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  server.on("error", (error) => logger.error({ err: error }, "server error"));
  agent.start();

  const { port } = addressOf(server.address());
  const url = `http://${urlHost(host)}:${port}`;
  logger.info({ url, allowlist: allowlist.audiences.length }, "endpoint listening");

  let closing: Promise<void> | undefined;
  async function shutDown(): Promise<void> {
    beginShutdown();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const drained = await inFlight.idle(Math.max(requestTimeoutMs, DEFAULT_BODY_TIMEOUT_MS) + CLOSE_SLACK_MS);
    if (!drained) logger.warn({ inFlight: inFlight.count }, "closing with requests still in flight");
    await agent.close();
    server.closeAllConnections();
    await closed;
    logger.info("endpoint closed");
  }

  return {
    url,
    port,
    close() {
      closing ??= shutDown();
      return closing;
    },
  };
}

function addressOf(address: AddressInfo | string | null): AddressInfo {
  if (address === null || typeof address === "string") throw new Error("endpoint server is not listening on TCP");
  return address;
}

/** The host to put in the endpoint URL: wildcard binds are reached via loopback. */
function urlHost(host: string): string {
  if (host === "0.0.0.0" || host === "") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}
