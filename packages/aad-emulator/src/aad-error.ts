import type { Clock } from "./clock.js";
import { newGuid } from "./random.js";

/** An Entra ID protocol error as a value: OAuth `error`, AADSTS number, human message. */
export interface AadError {
  status: number;
  error: string;
  aadsts: number;
  message: string;
  suberror?: string;
}

export function aadError(error: string, aadsts: number, message: string, extra: { status?: number; suberror?: string } = {}): AadError {
  return { status: extra.status ?? 400, error, aadsts, message, ...(extra.suberror === undefined ? {} : { suberror: extra.suberror }) };
}

export const missingParameter = (param: string): AadError =>
  aadError("invalid_request", 900144, `The request body must contain the following parameter: '${param}'.`);

export const invalidParameter = (param: string, detail: string): AadError =>
  aadError("invalid_request", 90014, `The parameter '${param}' is malformed or invalid: ${detail}`);

export const duplicateParameter = (param: string): AadError =>
  aadError("invalid_request", 90015, `The parameter '${param}' was given more than once.`);

/** `2024-01-31 12:00:00Z`, as Entra ID writes it. */
export function aadTimestamp(clock: Clock): string {
  return `${new Date(clock.now()).toISOString().slice(0, 19).replace("T", " ")}Z`;
}

export interface AadErrorBody {
  error: string;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
  suberror?: string;
}

/** The JSON body the v2 token endpoint sends for `error`. */
export function aadErrorBody(error: AadError, clock: Clock, correlationId: string): AadErrorBody {
  const traceId = newGuid();
  const timestamp = aadTimestamp(clock);
  return {
    error: error.error,
    error_description: `AADSTS${error.aadsts}: ${error.message} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [error.aadsts],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    ...(error.suberror === undefined ? {} : { suberror: error.suberror }),
  };
}
