import { parseFailure, type ParseResult } from "./result.js";

/** The variable that names a configuration file for the relay and the endpoint CLIs. */
export const CONFIG_FILE_VARIABLE = "AUTHBRIDGE_CONFIG_FILE";

const LINE = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/;

/**
 * Parses an env-style configuration file: `KEY=value` lines (an `export `
 * prefix is allowed), blank lines and `#` comments; a value may be wrapped in
 * one pair of single or double quotes. Only `AUTHBRIDGE_*` keys are accepted,
 * each at most once. Errors name the line; they never quote a value (it may
 * be a secret).
 */
export function parseConfigFile(text: string): ParseResult<Record<string, string>> {
  const values: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const where = `line ${index + 1}`;
    const match = LINE.exec(line);
    const key = match?.[1];
    const rawValue = match?.[2];
    if (key === undefined || rawValue === undefined) return parseFailure(where, "is not KEY=value");
    if (!key.startsWith("AUTHBRIDGE_")) return parseFailure(where, `${key} is not an AUTHBRIDGE_ variable`);
    if (key === CONFIG_FILE_VARIABLE) return parseFailure(where, `${key} cannot be set from a configuration file`);
    if (Object.hasOwn(values, key)) return parseFailure(where, `${key} is set twice`);
    const value = unquote(rawValue);
    if (value === undefined) return parseFailure(where, `${key}'s value has an unmatched quote`);
    values[key] = value;
  }
  return { ok: true, value: values };
}

export interface LoadedConfig {
  /** The file's variables under the environment's (the environment wins). */
  env: Record<string, string | undefined>;
  /** The file the values came from, if any. */
  file?: string;
  /** Keys whose value came from the file (for messages that name where a bad value was set). */
  fromFile: ReadonlySet<string>;
}

/**
 * Reads `AUTHBRIDGE_CONFIG_FILE` (when set) with `readFile` and merges it
 * under `env`. A failure is a one-line message naming the variable, the file
 * and the line.
 */
export function loadConfigFile(env: Readonly<Record<string, string | undefined>>, readFile: (path: string) => string): { ok: true; config: LoadedConfig } | { ok: false; message: string } {
  const file = env[CONFIG_FILE_VARIABLE];
  if (file === undefined || file === "") return { ok: true, config: { env: { ...env }, fromFile: new Set() } };
  let text: string;
  try {
    text = readFile(file);
  } catch (error) {
    const reason = error instanceof Error && "code" in error && typeof error.code === "string" ? error.code : "unreadable";
    return { ok: false, message: `${CONFIG_FILE_VARIABLE}: cannot read ${file} (${reason})` };
  }
  const parsed = parseConfigFile(text);
  if (!parsed.ok) return { ok: false, message: `${CONFIG_FILE_VARIABLE}: ${file} ${parsed.error.path}: ${parsed.error.message}` };
  const fromFile = new Set<string>();
  const merged: Record<string, string | undefined> = { ...env };
  for (const [key, value] of Object.entries(parsed.value)) {
    if (merged[key] !== undefined && merged[key] !== "") continue;
    merged[key] = value;
    fromFile.add(key);
  }
  return { ok: true, config: { env: merged, file, fromFile } };
}

function unquote(value: string): string | undefined {
  const first = value[0];
  if (first !== '"' && first !== "'") return value;
  if (value.length < 2 || value[value.length - 1] !== first) return undefined;
  return value.slice(1, -1);
}
