import { execFile } from "node:child_process";
import { createRequire } from "node:module";

export interface ShellEnvOptions {
  /** The App Service secret the endpoint was started with; adds IDENTITY_ENDPOINT/IDENTITY_HEADER. */
  appServiceSecret?: string;
}

const EXPORT_LINE = /^export ([A-Z_][A-Z0-9_]*)=(.*)$/;

/**
 * The environment a shell served by the endpoint at `endpointUrl` gets, as
 * printed by the endpoint's own `env` sub-command (`eval "$(authbridge-endpoint env)"`):
 * `MSI_ENDPOINT`, `ACC_CLOUD`, `AZUREPS_HOST_ENVIRONMENT` (and App Service's
 * variables when asked for).
 */
export async function cloudShellEnv(endpointUrl: string, options: ShellEnvOptions = {}): Promise<Record<string, string>> {
  const port = new URL(endpointUrl).port;
  const cli = createRequire(import.meta.url).resolve("@authbridge/endpoint/cli");
  const env: Record<string, string | undefined> = { ...process.env, AUTHBRIDGE_APP_SERVICE_SECRET: options.appServiceSecret };
  if (options.appServiceSecret === undefined) delete env.AUTHBRIDGE_APP_SERVICE_SECRET;
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, [cli, "env", "--port", port], { env, timeout: 15_000 }, (error, out) => {
      if (error === null) resolve(out);
      else reject(new Error(`the endpoint's env command failed: ${error.message}`));
    });
  });
  return parseExports(stdout);
}

/** `export NAME=value` lines (values unquoted, as `env` prints them) into a record. */
export function parseExports(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const match = EXPORT_LINE.exec(line);
    if (match === null) throw new Error(`unexpected line from the endpoint's env command: ${JSON.stringify(line.slice(0, 80))}`);
    const [, name = "", value = ""] = match;
    vars[name] = value;
  }
  return vars;
}
