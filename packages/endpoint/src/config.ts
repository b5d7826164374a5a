import { DEFAULT_ALLOWLIST, DEFAULT_ENDPOINT_HOST, DEFAULT_ENDPOINT_PORT, DEFAULT_REQUEST_TIMEOUT_MS, MAX_RESOURCE_LENGTH, parseFailure, type ParseResult } from "@authbridge/protocol";
import { z } from "zod";
import { DEFAULT_ORPHAN_GRACE_MS } from "./cli/orphan-watchdog.js";
import type { LogLevel } from "./logger.js";

/** Everything `serve` needs, validated. */
export interface EndpointConfig {
  agentToken: string;
  relayUrl: string;
  sessionId: string;
  host: string;
  port: number;
  allowlist: string[];
  requestTimeoutMs: number;
  /** How long a launched endpoint whose launcher died waits for the relay to take its session back. */
  orphanGraceMs: number;
  logLevel: LogLevel;
  /** Set: the App Service dialect (`GET /msi/token`) is on, with this `IDENTITY_HEADER` secret. */
  appServiceSecret?: string;
}

/** Command-line flags that override the environment. */
export interface ConfigFlags {
  host?: string | undefined;
  port?: string | undefined;
}

export type ReadTextFile = (path: string) => string;

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
const AUDIENCE = /^[\x21-\x7e]+$/;
const MAX_AUDIENCES = 1000;

const required = (what: string) =>
  z.string({ error: (issue) => (issue.input === undefined ? "is required" : `must be ${what}`) }).min(1, "is required");
const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, `must be an integer from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(min, `must be an integer from ${min} to ${max}`).max(max, `must be an integer from ${min} to ${max}`));
export const portSchema = integer(0, 65_535);
/** Printable without quoting in `export IDENTITY_HEADER=…`, long enough not to be guessed. */
export const appServiceSecretSchema = z.string().regex(/^[A-Za-z0-9._~+/=-]{16,512}$/, "must be 16 to 512 characters from A-Z a-z 0-9 . _ ~ + / = -");

const envSchema = z.object({
  AUTHBRIDGE_AGENT_TOKEN: required("a string").max(4096, "is too long"),
  AUTHBRIDGE_RELAY_URL: required("a URL").refine((value) => /^wss?:$/.test(URL.parse(value)?.protocol ?? ""), "must be a ws:// or wss:// URL"),
  AUTHBRIDGE_SESSION_ID: required("a string").max(128, "must be at most 128 characters"),
  AUTHBRIDGE_HOST: z.string().optional(),
  AUTHBRIDGE_PORT: portSchema.optional(),
  AUTHBRIDGE_ALLOWLIST: z.string().optional(),
  AUTHBRIDGE_ALLOWLIST_EXTRA: z.string().optional(),
  AUTHBRIDGE_ALLOWLIST_FILE: z.string().optional(),
  AUTHBRIDGE_REQUEST_TIMEOUT_MS: integer(1, 600_000).optional(),
  AUTHBRIDGE_ORPHAN_GRACE_MS: integer(0, 3_600_000).optional(),
  AUTHBRIDGE_LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` }).optional(),
  AUTHBRIDGE_APP_SERVICE_SECRET: appServiceSecretSchema.optional(),
});

/** Every variable `parseConfig` reads. */
export const ENDPOINT_ENV_KEYS: readonly string[] = Object.keys(envSchema.shape);

/**
 * Reads the endpoint's configuration from the environment (and `--host`,
 * `--port`). A failure names the offending key (or flag) in `error.path`.
 * Empty variables count as unset.
 */
export function parseConfig(
  env: Readonly<Record<string, string | undefined>>,
  flags: ConfigFlags = {},
  readFile: ReadTextFile = () => {
    throw new Error("no file reader");
  },
): ParseResult<EndpointConfig> {
  const input: Record<string, string> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== "") input[key] = value;
  }
  const parsed = envSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return parseFailure(String(issue?.path[0] ?? "environment"), issue?.message ?? "is invalid");
  }
  const vars = parsed.data;

  let port = vars.AUTHBRIDGE_PORT ?? DEFAULT_ENDPOINT_PORT;
  if (flags.port !== undefined) {
    const flag = portSchema.safeParse(flags.port);
    if (!flag.success) return parseFailure("--port", flag.error.issues[0]?.message ?? "is invalid");
    port = flag.data;
  }
  const host = flags.host ?? vars.AUTHBRIDGE_HOST ?? DEFAULT_ENDPOINT_HOST;
  if (host === "") return parseFailure("--host", "must not be empty");

  const allowlist = resolveAllowlist(vars, readFile);
  if (!allowlist.ok) return allowlist;

  return {
    ok: true,
    value: {
      agentToken: vars.AUTHBRIDGE_AGENT_TOKEN,
      relayUrl: vars.AUTHBRIDGE_RELAY_URL,
      sessionId: vars.AUTHBRIDGE_SESSION_ID,
      host,
      port,
      allowlist: allowlist.value,
      requestTimeoutMs: vars.AUTHBRIDGE_REQUEST_TIMEOUT_MS ?? DEFAULT_REQUEST_TIMEOUT_MS,
      orphanGraceMs: vars.AUTHBRIDGE_ORPHAN_GRACE_MS ?? DEFAULT_ORPHAN_GRACE_MS,
      logLevel: vars.AUTHBRIDGE_LOG_LEVEL ?? "info",
      ...(vars.AUTHBRIDGE_APP_SERVICE_SECRET === undefined ? {} : { appServiceSecret: vars.AUTHBRIDGE_APP_SERVICE_SECRET }),
    },
  };
}

type AllowlistVars = Pick<z.infer<typeof envSchema>, "AUTHBRIDGE_ALLOWLIST" | "AUTHBRIDGE_ALLOWLIST_EXTRA" | "AUTHBRIDGE_ALLOWLIST_FILE">;

/** `AUTHBRIDGE_ALLOWLIST` or `AUTHBRIDGE_ALLOWLIST_FILE` replace the default; `AUTHBRIDGE_ALLOWLIST_EXTRA` adds to it. */
function resolveAllowlist(vars: AllowlistVars, readFile: ReadTextFile): ParseResult<string[]> {
  if (vars.AUTHBRIDGE_ALLOWLIST !== undefined && vars.AUTHBRIDGE_ALLOWLIST_FILE !== undefined) {
    return parseFailure("AUTHBRIDGE_ALLOWLIST_FILE", "cannot be combined with AUTHBRIDGE_ALLOWLIST; set one of them");
  }
  let base: ParseResult<string[]> = { ok: true, value: [...DEFAULT_ALLOWLIST] };
  if (vars.AUTHBRIDGE_ALLOWLIST !== undefined) base = checkAudiences("AUTHBRIDGE_ALLOWLIST", splitList(vars.AUTHBRIDGE_ALLOWLIST));
  if (vars.AUTHBRIDGE_ALLOWLIST_FILE !== undefined) base = readAllowlistFile(vars.AUTHBRIDGE_ALLOWLIST_FILE, readFile);
  if (!base.ok) return base;
  if (base.value.length === 0) return parseFailure(vars.AUTHBRIDGE_ALLOWLIST_FILE === undefined ? "AUTHBRIDGE_ALLOWLIST" : "AUTHBRIDGE_ALLOWLIST_FILE", "must name at least one audience");
  if (vars.AUTHBRIDGE_ALLOWLIST_EXTRA === undefined) return base;
  const extra = checkAudiences("AUTHBRIDGE_ALLOWLIST_EXTRA", splitList(vars.AUTHBRIDGE_ALLOWLIST_EXTRA));
  if (!extra.ok) return extra;
  return { ok: true, value: [...new Set([...base.value, ...extra.value])] };
}

function splitList(text: string): string[] {
  return text
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
}

const fileEntries = z.array(z.string());

/** A JSON array of strings, or one audience per line (blank lines and `#` comments skipped). */
function readAllowlistFile(path: string, readFile: ReadTextFile): ParseResult<string[]> {
  const key = "AUTHBRIDGE_ALLOWLIST_FILE";
  let text: string;
  try {
    text = readFile(path);
  } catch (error) {
    return parseFailure(key, `cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (text.trimStart().startsWith("[")) {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      return parseFailure(key, `${path} starts with [ but is not valid JSON`);
    }
    const entries = fileEntries.safeParse(data);
    if (!entries.success) return parseFailure(key, `${path} must hold a JSON array of strings`);
    return checkAudiences(key, entries.data.map((entry) => entry.trim()));
  }
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith("#"));
  return checkAudiences(key, lines);
}

function checkAudiences(key: string, audiences: string[]): ParseResult<string[]> {
  if (audiences.length > MAX_AUDIENCES) return parseFailure(key, `must name at most ${MAX_AUDIENCES} audiences`);
  for (const [index, audience] of audiences.entries()) {
    if (audience.length > MAX_RESOURCE_LENGTH || !AUDIENCE.test(audience)) {
      return parseFailure(key, `entry ${index + 1} must be printable ASCII without spaces, at most ${MAX_RESOURCE_LENGTH} characters`);
    }
  }
  return { ok: true, value: audiences };
}
