import { CLOUD_SHELL_TOKEN_PATH, DEFAULT_ENDPOINT_PORT } from "@authbridge/protocol";
import { parseArgs } from "node:util";
import { portSchema } from "../config.js";
import { ENV_HELP } from "./help.js";
import type { CliIo } from "./io.js";

/** The exports a shell needs to find the endpoint as it would in Cloud Shell. */
export function shellExports(port: number): string {
  return [
    `export MSI_ENDPOINT=http://localhost:${port}${CLOUD_SHELL_TOKEN_PATH}`,
    "export ACC_CLOUD=authbridge",
    "export AZUREPS_HOST_ENVIRONMENT=cloud-shell/1.0",
    "",
  ].join("\n");
}

/** `env [--port N]`: prints the exports for `eval`. */
export function runEnv(args: string[], io: CliIo): number {
  const { values } = parseArgs({ args, options: { port: { type: "string" }, help: { type: "boolean", short: "h" } }, strict: true });
  if (values.help === true) {
    io.stdout(ENV_HELP);
    return 0;
  }
  const [key, text] = values.port !== undefined ? ["--port", values.port] : ["AUTHBRIDGE_PORT", io.env.AUTHBRIDGE_PORT];
  let port = DEFAULT_ENDPOINT_PORT;
  if (text !== undefined && text !== "") {
    const parsed = portSchema.safeParse(text);
    if (!parsed.success || parsed.data === 0) {
      io.stderr(`authbridge-endpoint env: ${key}: must be an integer from 1 to 65535\n`);
      return 2;
    }
    port = parsed.data;
  }
  io.stdout(shellExports(port));
  return 0;
}
