import type { Token } from "@authbridge/protocol";

/** What the responder needs from an MSAL `AuthenticationResult`. */
export interface AcquiredToken {
  readonly accessToken: string;
  readonly expiresOn: Date | null;
}

/**
 * The v1 scope for a resource: the resource verbatim plus `/.default`, so
 * `https://management.azure.com/` becomes `https://management.azure.com//.default`
 * and AAD issues `aud` exactly as the client asked.
 */
export function scopeForResource(resource: string): string {
  return `${resource}/.default`;
}

/** The claims of a JWT, or undefined when the string is not a decodable JWT. Nothing is verified. */
export function decodeJwtClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.split(".");
  const payload = parts[1];
  if (parts.length !== 3 || payload === undefined || !/^[A-Za-z0-9_-]+$/.test(payload)) return undefined;
  try {
    const base64 = payload.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(payload.length / 4) * 4, "=");
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const claims: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return isRecord(claims) ? claims : undefined;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function epochSecondsClaim(claims: Record<string, unknown> | undefined, name: string): number | undefined {
  const value = claims?.[name];
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

export type WireTokenResult = { ok: true; token: Token } | { ok: false; code: string; message: string };

/**
 * The wire token for an MSAL result: `expiresOn` in epoch seconds (from
 * MSAL, else the JWT's `exp`), `notBefore` from the JWT's `nbf` when there
 * is one, `tokenType` Bearer and the resource exactly as requested.
 */
export function toWireToken(acquired: AcquiredToken, resource: string): WireTokenResult {
  const claims = decodeJwtClaims(acquired.accessToken);
  const fromMsal = acquired.expiresOn === null ? Number.NaN : Math.floor(acquired.expiresOn.getTime() / 1000);
  const expiresOn = Number.isSafeInteger(fromMsal) && fromMsal >= 0 ? fromMsal : epochSecondsClaim(claims, "exp");
  if (expiresOn === undefined) {
    return { ok: false, code: "Internal", message: `The token for ${resource} came without an expiry.` };
  }
  const notBefore = epochSecondsClaim(claims, "nbf");
  return {
    ok: true,
    token: {
      accessToken: acquired.accessToken,
      expiresOn,
      ...(notBefore === undefined ? {} : { notBefore }),
      tokenType: "Bearer",
      resource,
    },
  };
}
