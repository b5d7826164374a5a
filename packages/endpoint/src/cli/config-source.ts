import { loadConfigFile, type ParseError } from "@authbridge/protocol";
import { ENDPOINT_ENV_KEYS } from "../config.js";
import { TERMINAL_ENV_KEYS } from "../terminal/terminal-config.js";
import type { CliIo } from "./io.js";

const ENDPOINT_SETTINGS: ReadonlySet<string> = new Set([...ENDPOINT_ENV_KEYS, ...TERMINAL_ENV_KEYS]);

export interface EndpointEnv {
  /** The environment with AUTHBRIDGE_CONFIG_FILE's values under it. */
  env: Readonly<Record<string, string | undefined>>;
  /** `path: message`, saying "(set in FILE)" when the bad value came from the file. */
  describe(error: ParseError): string;
}

/**
 * The endpoint's settings: the environment, plus the variables it leaves
 * unset from the file AUTHBRIDGE_CONFIG_FILE names. A file that cannot be
 * read or parsed, or that sets a variable the endpoint does not know (a
 * typo), is refused with a one-line message.
 */
export function endpointEnv(io: CliIo): { ok: true; value: EndpointEnv } | { ok: false; message: string } {
  const loaded = loadConfigFile(io.env, (path) => io.readFile(path));
  if (!loaded.ok) return { ok: false, message: loaded.message };
  const { env, file, fromFile } = loaded.config;
  const where = (key: string): string => (file !== undefined && fromFile.has(key) ? `${key} (set in ${file})` : key);
  const unknown = [...fromFile].find((key) => !ENDPOINT_SETTINGS.has(key));
  if (unknown !== undefined) return { ok: false, message: `${where(unknown)}: is not an endpoint setting` };
  return { ok: true, value: { env, describe: (error) => `${where(error.path)}: ${error.message}` } };
}
