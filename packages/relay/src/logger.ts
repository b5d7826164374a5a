import { pino, type Logger } from "pino";

/**
 * Paths that could ever hold a user JWT, a ticket or an agent token. The
 * relay never logs them on purpose; redaction is the safety net.
 */
export const REDACT_PATHS: readonly string[] = [
  "authorization",
  "ticket",
  "agentToken",
  "token",
  "accessToken",
  "access_token",
  "refresh_token",
  "id_token",
  "*.authorization",
  "*.ticket",
  "*.agentToken",
  "*.token",
  "*.accessToken",
  "*.access_token",
  "*.refresh_token",
  "*.id_token",
  "headers.authorization",
  'headers["sec-websocket-protocol"]',
  "req.headers.authorization",
  'req.headers["sec-websocket-protocol"]',
];

export interface RelayLoggerOptions {
  level?: string;
  /** File descriptor to write to (default 1, stdout). */
  destination?: number;
}

export function createRelayLogger(options: RelayLoggerOptions = {}): Logger {
  return pino(
    { name: "authbridge-relay", level: options.level ?? "info", redact: { paths: [...REDACT_PATHS], censor: "[redacted]" } },
    pino.destination({ fd: options.destination ?? 1, sync: true }),
  );
}
