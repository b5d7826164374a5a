import { parseArgs } from "node:util";
import { parseConfig } from "../config.js";
import { parseTerminalConfig } from "../terminal/terminal-config.js";
import { startEndpoint, type Endpoint } from "../endpoint.js";
import { createLogger } from "../logger.js";
import { endpointEnv } from "./config-source.js";
import { createOrphanWatchdog } from "./orphan-watchdog.js";
import { SERVE_HELP } from "./help.js";
import type { CliIo } from "./io.js";

/** The IPC message a launcher waits for. */
export interface ListeningMessage {
  type: "listening";
  url: string;
}

/**
 * `serve`: validates the configuration, starts the endpoint, reports
 * `listening` over IPC, and resolves with the exit code once it has closed
 * gracefully (SIGTERM/SIGINT or the relay ending the session → 0).
 */
export async function runServe(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { host: { type: "string" }, port: { type: "string" }, help: { type: "boolean", short: "h" } },
    strict: true,
  });
  if (values.help === true) {
    io.stdout(SERVE_HELP);
    return 0;
  }

  const source = endpointEnv(io);
  // The agent token must not leak to anything this process spawns later (`source` holds a copy).
  delete io.env.AUTHBRIDGE_AGENT_TOKEN;
  const invalid = (message: string): number => {
    io.stderr(`authbridge-endpoint serve: invalid configuration: ${message}\n`);
    return 2;
  };
  if (!source.ok) return invalid(source.message);
  const parsed = parseConfig(source.value.env, { host: values.host, port: values.port }, (path) => io.readFile(path));
  if (!parsed.ok) return invalid(source.value.describe(parsed.error));
  const config = parsed.value;
  const terminalConfig = parseTerminalConfig(source.value.env);
  if (!terminalConfig.ok) return invalid(source.value.describe(terminalConfig.error));
  const terminal = terminalConfig.value;
  const logger = createLogger({ level: config.logLevel, ...(io.logDestination === undefined ? {} : { destination: io.logDestination }) });

  let endpoint: Endpoint | undefined;
  let stopRequested = false;
  let resolveStop: (reason: string) => void = () => undefined;
  const stopped = new Promise<string>((resolve) => {
    resolveStop = resolve;
  });
  const stop = (reason: string): void => {
    if (stopRequested) {
      logger.info({ reason }, "already shutting down");
      return;
    }
    stopRequested = true;
    resolveStop(reason);
  };
  const unsubscribe = [io.onSignal("SIGTERM", () => stop("SIGTERM")), io.onSignal("SIGINT", () => stop("SIGINT"))];
  // A launched endpoint must not outlive its relay for long: an orphan would keep the session's
  // port (50342 by default). It waits a grace period for a restarted relay to take the session back.
  const watchdog = createOrphanWatchdog({
    graceMs: config.orphanGraceMs,
    onExpired: () => stop(`the launcher is gone and no relay took the session back within ${config.orphanGraceMs} ms`),
  });
  unsubscribe.push(() => watchdog.stop());
  const offLauncherGone = io.onLauncherGone?.(() => {
    logger.warn({ graceMs: config.orphanGraceMs }, "the launcher is gone; waiting for the relay to take the session back");
    watchdog.launcherGone();
  });
  if (offLauncherGone !== undefined) unsubscribe.push(offLauncherGone);

  try {
    try {
      endpoint = await startEndpoint({
        host: config.host,
        port: config.port,
        relayUrl: config.relayUrl,
        sessionId: config.sessionId,
        agentToken: config.agentToken,
        allowlist: config.allowlist,
        requestTimeoutMs: config.requestTimeoutMs,
        logger,
        onSessionEnded: () => stop("session ended"),
        onRelayStatus: (status) => watchdog.relayConnected(status.relay === "connected"),
        ...(config.appServiceSecret === undefined ? {} : { appServiceSecret: config.appServiceSecret }),
        ...(terminal.enabled
          ? {
              terminal: {
                shell: terminal.shell,
                cwd: terminal.cwd,
                graceMs: terminal.graceMs,
                baseEnv: terminal.home === undefined ? io.env : { ...io.env, HOME: terminal.home },
                onShellExit: () => stop("the shell exited"),
              },
            }
          : {}),
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      logger.fatal({ reason }, "endpoint failed to start");
      io.stderr(`authbridge-endpoint serve: cannot start: ${reason}\n`);
      return 1;
    }

    const message: ListeningMessage = { type: "listening", url: endpoint.url };
    io.send?.(message);
    logger.info({ url: endpoint.url, ipc: io.send !== undefined }, "listening");

    const reason = await stopped;
    logger.info({ reason }, "shutting down");
    await endpoint.close();
    return 0;
  } finally {
    for (const off of unsubscribe) off();
  }
}
