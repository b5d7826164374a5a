import { AuthError, InteractionRequiredAuthError, ServerError } from "@azure/msal-browser";
import type { AcquireFailure } from "./token-responder.js";

const MAX_CODE_LENGTH = 64;
const MAX_MESSAGE_LENGTH = 500;

/**
 * MSAL codes that mean Azure AD could not be reached or answered like a
 * server in trouble: worth a retry shortly, so `AadUnavailable` (503).
 */
const UNAVAILABLE_CODES: ReadonlySet<string> = new Set([
  "network_error",
  "no_network_connectivity",
  "post_request_failed",
  "get_request_failed",
  "failed_to_parse_response",
  "endpoints_resolution_error",
  "openid_config_error",
  "temporarily_unavailable",
  "server_error",
  "service_unavailable",
]);

/** An MSAL error code as a wire error code: `[A-Za-z0-9_.]`, at most 64 characters. */
export function sanitiseErrorCode(code: string): string {
  const clean = code.replace(/[^A-Za-z0-9_.]/g, "_").slice(0, MAX_CODE_LENGTH);
  return /[A-Za-z0-9]/.test(clean) ? clean : "AadError";
}

/**
 * MSAL wraps AAD's `error_description` as
 * `Error(s): … - Timestamp: … - Description: <text> - Correlation ID: … - Trace ID: …`;
 * the description is what a person needs.
 */
export function aadDescription(message: string): string {
  const match = /Description: ([\s\S]*?)(?: - Correlation ID:| - Trace ID:|$)/.exec(message);
  const description = match?.[1]?.trim();
  return description === undefined || description === "" || description === "N/A" ? message : description;
}

function shorten(message: string): string {
  return message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : message;
}

function httpStatusOf(error: AuthError): number | undefined {
  if (error instanceof ServerError) return error.status;
  // msal-common's NetworkError (not exported by msal-browser) carries `httpStatus`.
  if ("httpStatus" in error && typeof error.httpStatus === "number") return error.httpStatus;
  return undefined;
}

/**
 * After a 429 or 5xx, MSAL answers the same request from its throttling
 * cache (60 s in a browser, which cannot read Retry-After cross-origin) with
 * a ServerError that has no HTTP status and AAD's numeric error codes as its
 * code. That is the same outage, not a refusal.
 */
function isThrottledReplay(error: AuthError): boolean {
  return error instanceof ServerError && error.status === undefined && /^\d+(?: \d+)*$/.test(error.errorCode);
}

/** Maps whatever an MSAL acquire call threw to how the responder answers it. */
export function classifyAcquireError(error: unknown): AcquireFailure {
  if (error instanceof InteractionRequiredAuthError) return { kind: "interaction" };
  if (error instanceof AuthError) {
    const status = httpStatusOf(error);
    const detail = error.errorMessage === "" ? error.errorCode : aadDescription(error.errorMessage);
    if (UNAVAILABLE_CODES.has(error.errorCode) || (status !== undefined && (status >= 500 || status === 429)) || isThrottledReplay(error)) {
      return { kind: "error", code: "AadUnavailable", message: shorten(`Azure AD is unavailable (${error.errorCode}): ${detail}`) };
    }
    return { kind: "error", code: sanitiseErrorCode(error.errorCode || "AadError"), message: shorten(detail) };
  }
  if (error instanceof TypeError) {
    // fetch rejects with a TypeError when the network is down.
    return { kind: "error", code: "AadUnavailable", message: shorten(`Azure AD could not be reached: ${error.message}`) };
  }
  return { kind: "error", code: "Internal", message: shorten(error instanceof Error ? error.message : "Token acquisition failed.") };
}
