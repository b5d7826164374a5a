import { DEFAULT_ENDPOINT_PORT } from "@authbridge/protocol";
import { parseArgs } from "node:util";
import { appServiceSecretSchema, portSchema } from "../config.js";
import { cloudShellVariables } from "../cloud-shell-env.js";
import { endpointEnv } from "./config-source.js";
import { ENV_HELP } from "./help.js";
import type { CliIo } from "./io.js";

/** `export NAME=value` lines for `eval` (values need no quoting: see `appServiceSecretSchema`). */
export function shellExports(port: number, appServiceSecret?: string): string {
  return Object.entries(cloudShellVariables(port, appServiceSecret))
    .map(([name, value]) => `export ${name}=${value}\n`)
    .join("");
}

/** `env [--port N]`: prints the exports for `eval`. */
export function runEnv(args: string[], io: CliIo): number {
  const { values } = parseArgs({ args, options: { port: { type: "string" }, help: { type: "boolean", short: "h" } }, strict: true });
  if (values.help === true) {
    io.stdout(ENV_HELP);
    return 0;
  }
  const source = endpointEnv(io);
  if (!source.ok) {
    io.stderr(`authbridge-endpoint env: invalid configuration: ${source.message}\n`);
    return 2;
  }
  const { env } = source.value;
  const [key, text] = values.port !== undefined ? ["--port", values.port] : ["AUTHBRIDGE_PORT", env.AUTHBRIDGE_PORT];
  let port = DEFAULT_ENDPOINT_PORT;
  if (text !== undefined && text !== "") {
    const parsed = portSchema.safeParse(text);
    if (!parsed.success || parsed.data === 0) {
      io.stderr(`authbridge-endpoint env: ${key}: must be an integer from 1 to 65535\n`);
      return 2;
    }
    port = parsed.data;
  }
  const secretText = env.AUTHBRIDGE_APP_SERVICE_SECRET;
  let secret: string | undefined;
  if (secretText !== undefined && secretText !== "") {
    const parsed = appServiceSecretSchema.safeParse(secretText);
    if (!parsed.success) {
      io.stderr(`authbridge-endpoint env: AUTHBRIDGE_APP_SERVICE_SECRET: ${parsed.error.issues[0]?.message ?? "is invalid"}\n`);
      return 2;
    }
    secret = parsed.data;
  }
  io.stdout(shellExports(port, secret));
  return 0;
}
