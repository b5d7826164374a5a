import { DEFAULT_ALLOWLIST, DEFAULT_ENDPOINT_HOST, DEFAULT_ENDPOINT_PORT, DEFAULT_REQUEST_TIMEOUT_MS, createAllowlist } from "@authbridge/protocol";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import { createRelayAgent, type RelayAgent, type RelayAgentStatus } from "./agent/relay-agent.js";
import { createTokenCache } from "./cache/token-cache.js";
import { systemClock, type Clock } from "./clock.js";
import { createAdminApp } from "./http/admin-app.js";
import { createAppServiceHandler } from "./http/app-service-route.js";
import { createEndpointServer } from "./http/server.js";
import { DEFAULT_BODY_TIMEOUT_MS, DEFAULT_MAX_BODY_BYTES, createTokenHandler } from "./http/token-route.js";
import { createLogger } from "./logger.js";
import { spawnWithNodePty, type SpawnShell } from "./terminal/pty.js";
import { shellEnvironment } from "./terminal/shell-env.js";
import { DEFAULT_TERMINAL_GRACE_MS } from "./terminal/terminal-config.js";
import { createTerminalHost, type TerminalHost, type TerminalHostStats } from "./terminal/terminal-host.js";
import { createEndpointMetrics } from "./metrics.js";

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
  /** Enables the App Service dialect (`GET /msi/token`) with this `IDENTITY_HEADER` secret. */
  appServiceSecret?: string;
  /** The relay closed the agent socket with 4000 (or no longer knows the session): it is over. */
  onSessionEnded?: () => void;
  /** Every change of the relay connection's state. */
  onRelayStatus?: (status: RelayAgentStatus) => void;
  /** Serve a login shell in a PTY to the session's browser (absent: token endpoint only). */
  terminal?: EndpointTerminalOptions;
}

export interface EndpointTerminalOptions {
  /** Default `/bin/bash` with `-l`. */
  shell?: string;
  args?: string[];
  /** The session's working directory. */
  cwd: string;
  /** How long the shell outlives a detached browser (default 60 s). */
  graceMs?: number;
  /** The environment the shell's is built from (default `process.env`; `AUTHBRIDGE_*` never pass). */
  baseEnv?: Readonly<Record<string, string | undefined>>;
  /** Default node-pty. */
  spawn?: SpawnShell;
  /** The shell ended: it exited, or the grace period passed without a browser. */
  onShellExit?: (code: number) => void;
}

export interface Endpoint {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Stops accepting, lets in-flight requests finish (bounded by their deadline), then closes relay socket and server. */
  close(): Promise<void>;
  /** The terminal's flow-control figures; undefined without a terminal. */
  terminalStats(): TerminalHostStats | undefined;
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
    ...(options.terminal === undefined ? {} : { onTerminalFrame: (frame: Uint8Array) => terminal?.onFrame(frame) }),
    onStatus: (status: RelayAgentStatus) => {
      terminal?.browserAttached(status.relay === "connected" && status.browser);
      options.onRelayStatus?.(status);
    },
  });
  let terminal: TerminalHost | undefined;
  const cache = createTokenCache({ clock });
  const metrics = createEndpointMetrics(() => agent.status());
  const tokenHandler = createTokenHandler({
    cache,
    allowlist,
    tokens: agent,
    clock,
    logger,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    metrics,
  });
  const app = createAdminApp({ status: () => agent.status(), logger, metrics });
  const appService = options.appServiceSecret === undefined ? undefined : createAppServiceHandler({ secret: options.appServiceSecret, cache, allowlist, tokens: agent, logger });
  const { server, inFlight, beginShutdown } = createEndpointServer({ tokenHandler, app, ...(appService === undefined ? {} : { appService }) });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host, port: options.port ?? DEFAULT_ENDPOINT_PORT }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  server.on("error", (error) => logger.error({ err: error }, "server error"));
  const { port } = addressOf(server.address());
  if (options.terminal !== undefined) terminal = startTerminal(options.terminal, agent, port, logger);
  agent.start();

  const url = `http://${urlHost(host)}:${port}`;
  logger.info({ url, allowlist: allowlist.audiences.length }, "endpoint listening");

  let closing: Promise<void> | undefined;
  async function shutDown(): Promise<void> {
    beginShutdown();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const drained = await inFlight.idle(Math.max(requestTimeoutMs, DEFAULT_BODY_TIMEOUT_MS) + CLOSE_SLACK_MS);
    if (!drained) logger.warn({ inFlight: inFlight.count }, "closing with requests still in flight");
    await terminal?.close();
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
    terminalStats() {
      return terminal?.stats();
    },
  };
}

function startTerminal(options: EndpointTerminalOptions, agent: RelayAgent, port: number, logger: Logger): TerminalHost {
  return createTerminalHost({
    link: { send: (frame, sent) => agent.sendTerminal(frame, sent), bufferedAmount: () => agent.bufferedAmount() },
    spawn: options.spawn ?? spawnWithNodePty,
    shell: {
      file: options.shell ?? "/bin/bash",
      args: options.args ?? ["-l"],
      cwd: options.cwd,
      env: shellEnvironment(options.baseEnv ?? process.env, port),
    },
    graceMs: options.graceMs ?? DEFAULT_TERMINAL_GRACE_MS,
    logger,
    onShellExit: (code) => options.onShellExit?.(code),
  });
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
