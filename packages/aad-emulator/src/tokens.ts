import { createHash } from "node:crypto";
import { SignJWT, type JWTPayload } from "jose";
import { epochSeconds, type Clock } from "./clock.js";
import { SIGNING_ALG, type SigningKeys } from "./keys.js";
import { newGuid, opaqueToken } from "./random.js";
import type { TestUser } from "./users.js";

export const ID_TOKEN_LIFETIME_SEC = 3600;

export interface TokenIssuerDeps {
  keys: SigningKeys;
  issuer: string;
  tenantId: string;
  clock: Clock;
  accessTokenLifetimeSec: number;
}

export interface AccessTokenRequest {
  user: TestUser;
  clientId: string;
  resource: string;
  scp: string;
  sid: string;
}

export interface IdTokenRequest {
  user: TestUser;
  clientId: string;
  sid: string;
  nonce: string | undefined;
  /** Epoch seconds of the sign-in. */
  authTime: number;
}

export interface IssuedAccessToken {
  token: string;
  expiresIn: number;
}

export interface TokenIssuer {
  accessToken(request: AccessTokenRequest): Promise<IssuedAccessToken>;
  idToken(request: IdTokenRequest): Promise<string>;
  /** base64url `{"uid":oid,"utid":tid}`: MSAL builds the home account id from it. */
  clientInfo(oid: string): string;
}

/** Entra ID's `sub` is pairwise: stable per user and app, different across apps. */
export function pairwiseSubject(oid: string, clientId: string): string {
  return createHash("sha256").update(`${oid}:${clientId}`).digest("base64url");
}

export function createTokenIssuer(deps: TokenIssuerDeps): TokenIssuer {
  const { keys, issuer, tenantId, clock } = deps;

  const sign = (payload: JWTPayload): Promise<string> =>
    new SignJWT(payload).setProtectedHeader({ alg: SIGNING_ALG, typ: "JWT", kid: keys.kid }).sign(keys.privateKey);

  return {
    async accessToken({ user, clientId, resource, scp, sid }) {
      const now = epochSeconds(clock);
      const lifetime = deps.accessTokenLifetimeSec;
      const token = await sign({
        aud: resource,
        iss: issuer,
        iat: now,
        nbf: now,
        exp: now + lifetime,
        amr: ["pwd"],
        appid: clientId,
        appidacr: "0",
        azp: clientId,
        azpacr: "0",
        name: user.name,
        oid: user.oid,
        preferred_username: user.username,
        scp,
        sid,
        sub: pairwiseSubject(user.oid, clientId),
        tid: tenantId,
        unique_name: user.username,
        upn: user.username,
        uti: opaqueToken(16),
        jti: newGuid(),
        ver: "2.0",
      });
      return { token, expiresIn: lifetime };
    },
    async idToken({ user, clientId, sid, nonce, authTime }) {
      const now = epochSeconds(clock);
      return sign({
        aud: clientId,
        iss: issuer,
        iat: now,
        nbf: now,
        exp: now + ID_TOKEN_LIFETIME_SEC,
        auth_time: authTime,
        ...(nonce === undefined ? {} : { nonce }),
        name: user.name,
        oid: user.oid,
        preferred_username: user.username,
        login_hint: user.username,
        sid,
        sub: pairwiseSubject(user.oid, clientId),
        tid: tenantId,
        uti: opaqueToken(16),
        ver: "2.0",
      });
    },
    clientInfo: (oid) => Buffer.from(JSON.stringify({ uid: oid, utid: tenantId })).toString("base64url"),
  };
}
