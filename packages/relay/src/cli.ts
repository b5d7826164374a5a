#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { loadConfigFile } from "@authbridge/protocol";
import { ENV_HELP, parseRelayEnv, type RelayEnvConfig } from "./config/env-config.js";
import { createExternalLauncher } from "./launchers/external.js";
import type { Launcher } from "./launchers/launcher.js";
import { createLocalLauncher } from "./launchers/local.js";
import { createRelayLogger } from "./logger.js";
import { startRelay } from "./relay.js";
import type { UserAuthOptions } from "./relay-options.js";

async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(ENV_HELP);
    return 0;
  }
  if (argv.length > 0) {
    process.stderr.write(`unknown argument ${JSON.stringify(argv[0])}; see --help\n`);
    return 2;
  }
  const loaded = loadConfigFile(process.env, (path) => readFileSync(path, "utf8"));
  if (!loaded.ok) {
    process.stderr.write(`invalid configuration: ${loaded.message}\nSee --help.\n`);
    return 2;
  }
  const parsed = parseRelayEnv(loaded.config.env, loaded.config);
  if (!parsed.ok) {
    process.stderr.write(`${parsed.message}\nSee --help.\n`);
    return 2;
  }
  const { config } = parsed;
  // In external mode stdout carries launch contexts, so logs go to stderr.
  const logger = createRelayLogger({ level: config.logLevel, destination: config.launcher === "external" ? 2 : 1 });
  const auth: UserAuthOptions = { issuer: config.issuer, audience: config.audience, jwksUri: config.jwksUri };
  if (config.jwksCaFile !== undefined) auth.tlsCa = readFileSync(config.jwksCaFile, "utf8");

  const relay = await startRelay({
    host: config.host,
    port: config.port,
    auth,
    consoleUrl: config.consoleUrl,
    allowedOrigins: config.allowedOrigins,
    corsOrigins: config.corsOrigins,
    launcher: launcherFor(config),
    logger,
    ...(config.stateFile === undefined ? {} : { stateFile: config.stateFile }),
    ...(config.reattachMs === undefined ? {} : { reattachMs: config.reattachMs }),
  });

  await new Promise<void>((resolve) => {
    const shutdown = (signal: NodeJS.Signals): void => {
      logger.info({ signal }, "shutting down");
      process.once(signal, () => process.exit(130)); // a second signal does not wait
      relay.close().then(resolve, (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        resolve();
      });
    };
    process.once("SIGTERM", shutdown);
    process.once("SIGINT", shutdown);
  });
  return 0;
}

function launcherFor(config: RelayEnvConfig): Launcher {
  if (config.launcher === "local") {
    // Without a state file no restarted relay can take a session back: its orphans should not wait.
    return createLocalLauncher({ endpointPort: config.endpointPort, ...(config.stateFile === undefined ? { orphanGraceMs: 0 } : {}) });
  }
  return createExternalLauncher({
    onLaunch(context) {
      process.stdout.write(`${JSON.stringify({ sessionId: context.sessionId, relayAgentUrl: context.relayAgentUrl, agentToken: context.agentToken })}\n`);
    },
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`relay failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
