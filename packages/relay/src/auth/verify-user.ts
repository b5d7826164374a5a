import { AuthbridgeError } from "@authbridge/protocol";
import { errors, jwtVerify, type JWTVerifyGetKey } from "jose";
import { z } from "zod";
import type { Clock } from "../clock.js";
import { bearerCredential } from "./bearer.js";
import type { RelayUser } from "./user.js";

/** Leeway for `exp`/`nbf` between the authority's clock and ours. */
const CLOCK_TOLERANCE_SECONDS = 30;

const userClaims = z.object({
  tid: z.string().min(1).max(128),
  oid: z.string().min(1).max(128),
});

export interface UserVerifier {
  /** The user behind an `Authorization` header, or an `Unauthorized` AuthbridgeError saying why not. */
  verify(authorization: string | undefined): Promise<RelayUser>;
}

export interface UserVerifierOptions {
  issuer: string;
  audience: string;
  keys: JWTVerifyGetKey;
  clock: Clock;
}

export function createUserVerifier(options: UserVerifierOptions): UserVerifier {
  const { issuer, audience, keys, clock } = options;
  return {
    async verify(authorization) {
      if (authorization === undefined || authorization === "") throw unauthorized("missing Authorization header; send Authorization: Bearer <token>");
      const jwt = bearerCredential(authorization);
      if (jwt === undefined) throw unauthorized("the Authorization header is not a Bearer token");
      let payload: unknown;
      try {
        ({ payload } = await jwtVerify(jwt, keys, {
          issuer,
          audience,
          algorithms: ["RS256"],
          requiredClaims: ["exp"],
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          currentDate: new Date(clock.now()),
        }));
      } catch (error) {
        throw describeJoseFailure(error, audience);
      }
      const claims = userClaims.safeParse(payload);
      if (!claims.success) {
        const path = claims.error.issues[0]?.path.map(String).join(".") ?? "";
        throw unauthorized(`the token has no valid "${path}" claim; a user token with tid and oid is required`);
      }
      return { tid: claims.data.tid, oid: claims.data.oid };
    },
  };
}

function unauthorized(message: string, cause?: unknown): AuthbridgeError {
  return new AuthbridgeError("Unauthorized", message, cause === undefined ? undefined : { cause });
}

/** A message naming what failed, built from jose's codes (never from the token). */
function describeJoseFailure(error: unknown, audience: string): AuthbridgeError {
  if (error instanceof errors.JWTExpired) return unauthorized("the token has expired; sign in again", error);
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "aud") return unauthorized(`the token's audience is not ${audience}`, error);
    if (error.claim === "iss") return unauthorized("the token was not issued by the configured authority", error);
    if (error.claim === "nbf") return unauthorized("the token is not valid yet", error);
    return unauthorized(`the token's "${error.claim}" claim is not acceptable (${error.reason})`, error);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return unauthorized("the token's signature does not verify", error);
  if (error instanceof errors.JWKSNoMatchingKey) return unauthorized("the token is not signed by a key of the authority", error);
  if (error instanceof errors.JOSEAlgNotAllowed) return unauthorized("the token must be signed with RS256", error);
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return unauthorized("the token is not a well-formed JWT", error);
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || !(error instanceof errors.JOSEError) || error.code === "ERR_JOSE_GENERIC") {
    return new AuthbridgeError("AadUnavailable", "the authority's signing keys could not be fetched; try again shortly", { cause: error });
  }
  return unauthorized("the token could not be verified", error);
}
