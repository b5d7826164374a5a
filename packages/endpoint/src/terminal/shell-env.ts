import { cloudShellVariables } from "../cloud-shell-env.js";

/**
 * The shell's environment: the endpoint's own, minus every `AUTHBRIDGE_*`
 * variable (the agent token above all), plus what Cloud Shell sets so that
 * curl, az and the SDKs find this endpoint (the same variables
 * `authbridge-endpoint env` prints; App Service's are left out: this is the
 * Cloud Shell dialect's shell).
 */
export function shellEnvironment(base: Readonly<Record<string, string | undefined>>, endpointPort: number): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) {
    if (value === undefined || key.startsWith("AUTHBRIDGE_")) continue;
    env[key] = value;
  }
  return { ...env, ...cloudShellVariables(endpointPort), TERM: "xterm-256color", COLORTERM: "truecolor" };
}
