import { DEFAULT_ENDPOINT_PORT } from "@authbridge/protocol";
import { z } from "zod";

const port = (fallback: number) =>
  z
    .string()
    .default(String(fallback))
    .transform((text, ctx) => {
      const value = Number(text);
      if (!/^\d+$/.test(text) || value > 65535) {
        ctx.addIssue({ code: "custom", message: "must be a port number 0-65535" });
        return z.NEVER;
      }
      return value;
    });

/** The longest delay `setTimeout` honours (a larger one fires at once). */
const MAX_TIMER_MS = 2_147_483_647;

const milliseconds = z.string().transform((text, ctx) => {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > MAX_TIMER_MS) {
    ctx.addIssue({ code: "custom", message: `must be a whole number of milliseconds 1-${MAX_TIMER_MS}` });
    return z.NEVER;
  }
  return value;
});

const httpUrl = z.string().refine((text) => /^https?:$/.test(URL.canParse(text) ? new URL(text).protocol : ""), "must be an http(s) URL");

const originList = z.string().transform((text, ctx) => {
  const origins = text
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
  for (const origin of origins) {
    if (!URL.canParse(origin) || new URL(origin).origin !== origin.replace(/\/$/, "")) {
      ctx.addIssue({ code: "custom", message: `${JSON.stringify(origin)} is not an origin like http://host:port` });
      return z.NEVER;
    }
  }
  return origins;
});

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** The relay CLI's environment. */
const relayEnv = z.object({
  AUTHBRIDGE_RELAY_HOST: z.string().min(1).default("127.0.0.1"),
  AUTHBRIDGE_RELAY_PORT: port(8090),
  AUTHBRIDGE_ISSUER: z.string().min(1),
  AUTHBRIDGE_AUDIENCE: z.string().min(1),
  AUTHBRIDGE_JWKS_URI: httpUrl,
  AUTHBRIDGE_JWKS_CA_FILE: z.string().min(1).optional(),
  AUTHBRIDGE_CONSOLE_URL: httpUrl,
  AUTHBRIDGE_ALLOWED_ORIGINS: originList.optional(),
  AUTHBRIDGE_CORS_ORIGINS: originList,
  AUTHBRIDGE_LAUNCHER: z.enum(["local", "external"], { error: "must be local or external" }).default("local"),
  AUTHBRIDGE_ENDPOINT_PORT: port(DEFAULT_ENDPOINT_PORT),
  AUTHBRIDGE_RELAY_STATE_FILE: z.string().min(1, "must be a file path").optional(),
  AUTHBRIDGE_RELAY_REATTACH_MS: milliseconds.optional(),
  AUTHBRIDGE_LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` }).default("info"),
});

export interface RelayEnvConfig {
  host: string;
  port: number;
  issuer: string;
  audience: string;
  jwksUri: string;
  jwksCaFile?: string;
  consoleUrl: string;
  allowedOrigins: string[];
  corsOrigins: string[];
  launcher: "local" | "external";
  endpointPort: number;
  stateFile?: string;
  /** Unset: the relay's default (60 s). */
  reattachMs?: number;
  logLevel: string;
}

export type EnvConfigResult = { ok: true; config: RelayEnvConfig } | { ok: false; message: string };

/** Where values came from when a configuration file was merged in (see `loadConfigFile`). */
export interface ConfigSource {
  file?: string;
  fromFile: ReadonlySet<string>;
}

/**
 * Reads the relay's configuration from `env`; a failure names the variable at
 * fault, and the file when the value came from `AUTHBRIDGE_CONFIG_FILE`.
 */
export function parseRelayEnv(env: Record<string, string | undefined>, source: ConfigSource = { fromFile: new Set() }): EnvConfigResult {
  const where = (key: string): string => (source.file !== undefined && source.fromFile.has(key) ? `${key} (set in ${source.file})` : key);
  const unknown = [...source.fromFile].find((key) => !Object.hasOwn(relayEnv.shape, key));
  if (unknown !== undefined) return { ok: false, message: `invalid configuration: ${where(unknown)} is not a relay setting` };
  const parsed = relayEnv.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue?.path.map(String).join(".") ?? "";
    const reason = issue === undefined ? "is invalid" : issue.code === "invalid_type" && env[key] === undefined ? "is required" : issue.message;
    return { ok: false, message: `invalid configuration: ${where(key)} ${reason}` };
  }
  const e = parsed.data;
  const config: RelayEnvConfig = {
    host: e.AUTHBRIDGE_RELAY_HOST,
    port: e.AUTHBRIDGE_RELAY_PORT,
    issuer: e.AUTHBRIDGE_ISSUER,
    audience: e.AUTHBRIDGE_AUDIENCE,
    jwksUri: e.AUTHBRIDGE_JWKS_URI,
    consoleUrl: e.AUTHBRIDGE_CONSOLE_URL,
    // By default the console app's own origin is the one allowed on /ws/browser.
    allowedOrigins: e.AUTHBRIDGE_ALLOWED_ORIGINS ?? [new URL(e.AUTHBRIDGE_CONSOLE_URL).origin],
    corsOrigins: e.AUTHBRIDGE_CORS_ORIGINS,
    launcher: e.AUTHBRIDGE_LAUNCHER,
    endpointPort: e.AUTHBRIDGE_ENDPOINT_PORT,
    logLevel: e.AUTHBRIDGE_LOG_LEVEL,
  };
  if (e.AUTHBRIDGE_JWKS_CA_FILE !== undefined) config.jwksCaFile = e.AUTHBRIDGE_JWKS_CA_FILE;
  if (e.AUTHBRIDGE_RELAY_STATE_FILE !== undefined) config.stateFile = e.AUTHBRIDGE_RELAY_STATE_FILE;
  if (e.AUTHBRIDGE_RELAY_REATTACH_MS !== undefined) config.reattachMs = e.AUTHBRIDGE_RELAY_REATTACH_MS;
  return { ok: true, config };
}

export const ENV_HELP = `Usage: node dist/cli.js [--help]

Starts the authbridge relay, configured from the environment (and, for the
variables the environment leaves unset, from the file AUTHBRIDGE_CONFIG_FILE
names: KEY=value lines, # comment lines, values optionally quoted):

  AUTHBRIDGE_ISSUER            expected "iss" of user tokens (required)
  AUTHBRIDGE_AUDIENCE          expected "aud": the relay's API audience (required)
  AUTHBRIDGE_JWKS_URI          the authority's JWKS URL (required)
  AUTHBRIDGE_JWKS_CA_FILE      PEM file to trust for an https JWKS (optional)
  AUTHBRIDGE_CONSOLE_URL       the console app URL (required)
  AUTHBRIDGE_CORS_ORIGINS      comma-separated portal origins allowed on /api (required)
  AUTHBRIDGE_ALLOWED_ORIGINS   comma-separated console origins allowed on /ws/browser
                               (default: the origin of AUTHBRIDGE_CONSOLE_URL)
  AUTHBRIDGE_RELAY_HOST        bind address (default 127.0.0.1)
  AUTHBRIDGE_RELAY_PORT        port (default 8090; 0 = any free port)
  AUTHBRIDGE_LAUNCHER          local | external (default local)
                               local: spawns @authbridge/endpoint per session
                               external: writes each launch context as one JSON line
                               {"sessionId","relayAgentUrl","agentToken"} to stdout for an
                               orchestrator; logs go to stderr
  AUTHBRIDGE_ENDPOINT_PORT     port of locally launched endpoints (default ${DEFAULT_ENDPOINT_PORT})
  AUTHBRIDGE_RELAY_STATE_FILE  JSON file that keeps sessions across restarts, even kill -9
                               (optional; without it sessions live in memory only). Holds
                               owners and agent-token digests, never tokens; mode 0600
  AUTHBRIDGE_RELAY_REATTACH_MS a session taken back from the state file ends unless its
                               agent reconnects within this many ms (default 60000)
  AUTHBRIDGE_LOG_LEVEL         fatal|error|warn|info|debug|trace|silent (default info)

Stops gracefully on SIGTERM or SIGINT. With a state file, the sessions whose endpoint
the relay did not start itself (external launcher, or taken back from the file) stay
in the file for the next relay; the others end.
`;
