/**
 * Stable error codes. The code is what tests assert and what HTTP clients see
 * in `{"error":{"code","message"}}`; the status is the HTTP status it maps to.
 */
export const ERRORS = {
  // endpoint: the request itself (will not change on retry → 4xx)
  MetadataHeaderRequired: { status: 400 },
  ResourceRequired: { status: 400 },
  InvalidRequest: { status: 400 },
  ForwardedRequestRefused: { status: 400 },
  HostNotAllowed: { status: 400 },
  AudienceNotSupported: { status: 400 },
  IdentityNotSupported: { status: 400 },
  PayloadTooLarge: { status: 413 },
  NotFound: { status: 404 },
  MethodNotAllowed: { status: 405 },
  // the browser side
  InteractionRequired: { status: 401 },
  PolicyRefused: { status: 403 },
  AadError: { status: 400 },
  // transient (try again shortly → 503/504)
  RelayUnavailable: { status: 503 },
  BrowserNotConnected: { status: 503 },
  BrowserDisconnected: { status: 503 },
  AadUnavailable: { status: 503 },
  ShuttingDown: { status: 503 },
  Timeout: { status: 504 },
  // relay API and WebSocket handshake
  Unauthorized: { status: 401 },
  TicketInvalid: { status: 401 },
  Forbidden: { status: 403 },
  OriginNotAllowed: { status: 403 },
  SessionNotFound: { status: 404 },
  BrowserAlreadyAttached: { status: 409 },
  AgentAlreadyAttached: { status: 409 },
  TooManySessions: { status: 429 },
  LaunchFailed: { status: 502 },
  // frames
  ProtocolError: { status: 400 },
  UnknownRequest: { status: 400 },
  Internal: { status: 500 },
} as const satisfies Record<string, { status: number }>;

export type ErrorCode = keyof typeof ERRORS;

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERRORS, code);
}

/**
 * HTTP status for a code. Codes that are not ours come from Azure AD
 * (`invalid_resource`, `AADSTS500011`, …): a refusal that a retry will not
 * change, so 400.
 */
export function statusForCode(code: string): number {
  return isErrorCode(code) ? ERRORS[code].status : ERRORS.AadError.status;
}

/** An error with a stable machine code and the HTTP status it maps to. */
export class AuthbridgeError extends Error {
  readonly code: string;
  readonly status: number;

  constructor(code: string, message: string, options?: { cause?: unknown; status?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AuthbridgeError";
    this.code = code;
    this.status = options?.status ?? statusForCode(code);
  }
}

export interface ErrorBody {
  error: { code: string; message: string };
}

/** The `{"error":{"code","message"}}` shape every HTTP failure uses. */
export function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message } };
}
