/**
 * What the endpoint tells the human behind an HTTP client, per error code.
 * Each message says what to do next; none ever contains a token.
 */
export const MESSAGES = {
  HostNotAllowed:
    "The Host header must name the loopback interface (localhost, 127.0.0.1 or [::1]); other host names are refused to defend against DNS rebinding.",
  ForwardedRequestRefused:
    "Requests carrying X-Forwarded-For or Forwarded are refused: the token endpoint serves processes on this machine only, not proxied requests.",
  MetadataHeaderRequired: "Add the header 'Metadata: true' to the request.",
  ResourceRequired: "Name the audience in the request, e.g. the form body resource=https://management.azure.com/.",
  IdentityNotSupported: "authbridge acts for the signed-in user; user-assigned identities are not available, as in Cloud Shell",
  NotFound: "No such path. Request tokens with POST /oauth2/token (or GET /metadata/identity/oauth2/token?api-version=…&resource=…).",
  RelayUnavailable:
    "The endpoint is not connected to the authbridge relay; it reconnects by itself. Keep the authbridge portal tab open and retry in a few seconds.",
  SessionEnded: "This authbridge session has ended; open a new console from the authbridge portal.",
  BrowserNotConnected: "No browser is attached to this session: open the authbridge portal tab with this console, then retry.",
  BrowserDisconnected: "The browser tab disconnected before answering: reopen the authbridge portal tab, then retry.",
  InteractionRequired: "Azure AD needs you to act: open the authbridge portal tab and click Approve, then retry.",
  ShuttingDown: "The token endpoint is shutting down; retry when it is back.",
  Internal: "The token endpoint failed unexpectedly; retry, and check its log if this persists.",
} as const;

export function timeoutMessage(timeoutMs: number): string {
  const seconds = Math.round(timeoutMs / 100) / 10;
  return `The browser did not answer within ${seconds} s: check the authbridge portal tab (it may be waiting for you to sign in or approve), then retry.`;
}

export function payloadTooLargeMessage(maxBytes: number): string {
  return `The request body is larger than ${maxBytes} bytes; send only resource=<audience>.`;
}

export function methodNotAllowedMessage(allow: string, path: string): string {
  return `Use ${allow} for ${path}.`;
}

/** Canned messages for codes whose wording the endpoint owns. */
const OWN_WORDING: Readonly<Record<string, string>> = {
  RelayUnavailable: MESSAGES.RelayUnavailable,
  BrowserNotConnected: MESSAGES.BrowserNotConnected,
  BrowserDisconnected: MESSAGES.BrowserDisconnected,
  InteractionRequired: MESSAGES.InteractionRequired,
  ShuttingDown: MESSAGES.ShuttingDown,
};

/**
 * The message for an error that came from the relay or the browser: our own
 * wording for the codes we own (so every path says the same thing), otherwise
 * what the far side said (AAD's explanation), otherwise a generic line.
 */
export function remoteErrorMessage(code: string, message: string): string {
  const own = OWN_WORDING[code];
  if (own !== undefined) return own;
  const trimmed = message.trim();
  if (trimmed.length > 0) return trimmed;
  return `The token request was refused (${code}); check the authbridge portal tab, then retry.`;
}
