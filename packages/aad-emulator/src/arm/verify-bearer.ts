import { createLocalJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTPayload } from "jose";
import type { Clock } from "../clock.js";
import { SIGNING_ALG } from "../keys.js";

/** The audiences Azure Resource Manager accepts. */
export const ARM_AUDIENCES: readonly string[] = [
  "https://management.azure.com/",
  "https://management.azure.com",
  "https://management.core.windows.net/",
  "https://management.core.windows.net",
];

export type ArmAuthErrorCode = "AuthenticationFailed" | "InvalidAuthenticationToken";

export type BearerCheck = { ok: true; claims: JWTPayload } | { ok: false; code: ArmAuthErrorCode; message: string };

export interface BearerVerifierDeps {
  jwks: JSONWebKeySet;
  issuer: string;
  clock: Clock;
  audiences?: readonly string[];
}

export type BearerVerifier = (authorization: string | undefined) => Promise<BearerCheck>;

const BEARER = /^Bearer\s+([A-Za-z0-9._~+/=-]+)\s*$/i;

const utc = (epochSec: number): string => new Date(epochSec * 1000).toISOString();

/**
 * Checks an `Authorization: Bearer` header as ARM does: RS256 signature
 * against the emulator's JWKS, issuer, one of the ARM audiences, and expiry.
 */
export function createBearerVerifier(deps: BearerVerifierDeps): BearerVerifier {
  const keySet = createLocalJWKSet(deps.jwks);
  const audiences = [...(deps.audiences ?? ARM_AUDIENCES)];
  return async (authorization) => {
    if (authorization === undefined || authorization.trim() === "") {
      return { ok: false, code: "AuthenticationFailed", message: "Authentication failed. The 'Authorization' header is missing." };
    }
    const match = BEARER.exec(authorization);
    const token = match?.[1];
    if (token === undefined) {
      return { ok: false, code: "AuthenticationFailed", message: "Authentication failed. The 'Authorization' header is provided in an invalid format." };
    }
    const now = deps.clock.now();
    try {
      const { payload } = await jwtVerify(token, keySet, {
        issuer: deps.issuer,
        audience: audiences,
        algorithms: [SIGNING_ALG],
        currentDate: new Date(now),
      });
      return { ok: true, claims: payload };
    } catch (error) {
      if (error instanceof errors.JWTExpired) {
        const exp = typeof error.payload.exp === "number" ? utc(error.payload.exp) : "unknown";
        return {
          ok: false,
          code: "InvalidAuthenticationToken",
          message: `The access token expiry UTC time '${exp}' is earlier than current UTC time '${new Date(now).toISOString()}'.`,
        };
      }
      if (error instanceof errors.JWTClaimValidationFailed && error.claim === "aud") {
        const aud = typeof error.payload.aud === "string" ? error.payload.aud : JSON.stringify(error.payload.aud ?? null);
        return {
          ok: false,
          code: "InvalidAuthenticationToken",
          message: `The access token has been obtained for wrong audience or resource '${aud}'. It should exactly match with one of the allowed audiences ${audiences.map((a) => `'${a}'`).join(",")}.`,
        };
      }
      if (error instanceof errors.JWTClaimValidationFailed && error.claim === "iss") {
        return { ok: false, code: "InvalidAuthenticationToken", message: "The access token is from the wrong issuer. It must match the emulator's tenant issuer." };
      }
      return { ok: false, code: "InvalidAuthenticationToken", message: "The access token is invalid." };
    }
  };
}
