import type { Logger } from "pino";
import { createLogger } from "../../src/index.js";

export interface LogCapture {
  logger: Logger;
  /** Every JSON line written so far. */
  readonly lines: string[];
  text(): string;
}

/** The endpoint's real logger (with redaction), writing into memory. */
export function captureLogs(level: "info" | "debug" = "debug"): LogCapture {
  const lines: string[] = [];
  const logger = createLogger({ level, destination: { write: (line: string) => void lines.push(line) } });
  return { logger, lines, text: () => lines.join("") };
}
