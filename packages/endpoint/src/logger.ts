import { pino, type DestinationStream, type Level, type Logger } from "pino";

/**
 * Paths pino censors wherever they appear. The code never puts a token in a
 * log record; this is the second line of defence.
 */
export const REDACT_PATHS: readonly string[] = [
  "agentToken",
  "accessToken",
  "access_token",
  "token",
  "authorization",
  "refresh_token",
  "id_token",
  "ticket",
  "*.agentToken",
  "*.accessToken",
  "*.access_token",
  "*.token",
  "*.authorization",
  "*.refresh_token",
  "*.id_token",
  "*.ticket",
  "headers.authorization",
  "*.headers.authorization",
];

export type LogLevel = Level | "silent";

export interface LoggerOptions {
  level?: LogLevel;
  /** Defaults to stdout. */
  destination?: DestinationStream;
}

/** The endpoint's pino logger: JSON lines, tokens redacted. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const config = {
    name: "authbridge-endpoint",
    level: options.level ?? "info",
    redact: { paths: [...REDACT_PATHS], censor: "[redacted]" },
  };
  return options.destination === undefined ? pino(config) : pino(config, options.destination);
}

/** A logger that writes nothing (tests, library use without logging). */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
