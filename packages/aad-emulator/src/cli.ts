#!/usr/bin/env node
import { pino } from "pino";
import { parseCliArgs, USAGE } from "./cli-args.js";
import { startEmulator, type Emulator } from "./server.js";
import { DEMO_USERS } from "./users.js";

function describe(emulator: Emulator): string {
  const users = DEMO_USERS.map((user) => `  ${user.username}  password ${user.password}  oid ${user.oid}`).join("\n");
  return `AAD emulator ready
  authority        ${emulator.authority}
  knownAuthorities ["${emulator.knownAuthority}"]
  jwks             ${emulator.jwksUri}
  mock ARM         ${emulator.armUrl}  (subscription ${emulator.subscriptionId})
  certificate      ${emulator.certPath}  (trust it: NODE_EXTRA_CA_CERTS / REQUESTS_CA_BUNDLE)
  admin API        ${emulator.url}/_emulator/faults, /_emulator/stats, /_emulator/reset, /_emulator/clients
demo users (public test data):
${users}
`;
}

async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseCliArgs(argv);
  if (parsed.kind === "help") {
    process.stdout.write(USAGE);
    return 0;
  }
  if (parsed.kind === "error") {
    process.stderr.write(`aad-emulator: ${parsed.message}\n\n${USAGE}`);
    return 2;
  }
  const { options } = parsed;
  const logger = pino({ level: process.env.LOG_LEVEL ?? "info" }, pino.destination(2));
  const emulator = await startEmulator({
    logger,
    clients: options.clients,
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.host === undefined ? {} : { host: options.host }),
    ...(options.certDir === undefined ? {} : { certDir: options.certDir }),
    ...(options.tokenLifetimeSec === undefined ? {} : { accessTokenLifetimeSec: options.tokenLifetimeSec }),
  });
  process.stdout.write(describe(emulator));
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await emulator.close();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`aad-emulator: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
