import { z } from "zod";
import { aadError, invalidParameter, missingParameter, type AadError } from "./aad-error.js";
import type { ClientRegistry } from "./clients.js";
import { epochSeconds, type Clock } from "./clock.js";
import type { CodeStore } from "./codes.js";
import type { FaultSwitches } from "./faults.js";
import { parseParams, type Params } from "./http/params.js";
import { verifiesChallenge } from "./pkce.js";
import { REFRESH_TOKEN_LIFETIME_SEC, type RefreshTokenStore } from "./refresh-tokens.js";
import { resolveScopes, type ResolvedScopes } from "./scopes.js";
import type { SessionStore } from "./sessions.js";
import type { StatsCounter } from "./stats.js";
import type { TokenIssuer } from "./tokens.js";
import type { TestUser, UserDirectory } from "./users.js";

export interface GrantDeps {
  tenantId: string;
  clients: ClientRegistry;
  users: UserDirectory;
  codes: CodeStore;
  refreshTokens: RefreshTokenStore;
  sessions: SessionStore;
  tokens: TokenIssuer;
  faults: FaultSwitches;
  stats: StatsCounter;
  clock: Clock;
}

/** The v2 token endpoint's success body. */
export interface TokenResponseBody {
  token_type: "Bearer";
  /** The requested scope string, verbatim: MSAL caches under it. */
  scope: string;
  expires_in: number;
  ext_expires_in: number;
  access_token: string;
  refresh_token: string;
  refresh_token_expires_in: number;
  id_token?: string;
  client_info: string;
}

export type GrantResult = { ok: true; body: TokenResponseBody } | { ok: false; error: AadError };

const bounded = (max: number) => z.string().min(1).max(max);

const baseSchema = z.object({ grant_type: bounded(64), client_id: bounded(256) });
const codeSchema = z.object({
  code: bounded(4096),
  redirect_uri: bounded(2048),
  code_verifier: bounded(256),
  scope: z.string().max(4096).optional(),
});
const refreshSchema = z.object({ refresh_token: bounded(8192), scope: z.string().max(4096) });

const fail = (error: AadError): GrantResult => ({ ok: false, error });

function parseOrFail<S extends z.ZodType>(schema: S, params: Params): { ok: true; value: z.output<S> } | { ok: false; result: GrantResult } {
  const parsed = parseParams(schema, params);
  if (parsed.ok) return parsed;
  const { param, missing, message } = parsed.issue;
  return { ok: false, result: fail(missing ? missingParameter(param) : invalidParameter(param, message)) };
}

const invalidGrant = (aadsts: number, message: string): GrantResult => fail(aadError("invalid_grant", aadsts, message));

/** Runs one token request (authorization_code or refresh_token grant) to a response body or an Entra-style error. */
export async function redeemGrant(deps: GrantDeps, params: Params): Promise<GrantResult> {
  const base = parseOrFail(baseSchema, params);
  if (!base.ok) return base.result;
  const { grant_type: grantType, client_id: clientId } = base.value;
  if (!deps.clients.isRegistered(clientId)) {
    return fail(aadError("unauthorized_client", 700016, `Application with identifier '${clientId}' was not found in the directory.`));
  }
  if (grantType === "authorization_code") return codeGrant(deps, clientId, params);
  if (grantType === "refresh_token") return refreshGrant(deps, clientId, params);
  return fail(aadError("unsupported_grant_type", 70003, `The app requested an unsupported grant type '${grantType}'.`));
}

async function codeGrant(deps: GrantDeps, clientId: string, params: Params): Promise<GrantResult> {
  const parsed = parseOrFail(codeSchema, params);
  if (!parsed.ok) return parsed.result;
  const { code, redirect_uri: redirectUri, code_verifier: verifier } = parsed.value;
  const redemption = deps.codes.redeem(code);
  if (!redemption.ok) {
    if (redemption.reason === "redeemed") {
      return invalidGrant(54005, "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.");
    }
    if (redemption.reason === "expired") return invalidGrant(70008, "The provided authorization code or refresh token has expired due to inactivity.");
    return invalidGrant(9002313, "Invalid request. The authorization code is malformed or unknown.");
  }
  const grant = redemption.grant;
  if (grant.clientId !== clientId) return invalidGrant(700005, "The authorization code was issued to a different application.");
  if (grant.redirectUri !== redirectUri) {
    return invalidGrant(50011, `The redirect URI '${redirectUri}' does not match the redirect URI used to request the authorization code.`);
  }
  if (!verifiesChallenge(verifier, grant.codeChallenge)) {
    return invalidGrant(501481, "The Code_Verifier does not match the code_challenge supplied in the authorization request.");
  }
  const user = deps.users.byOid(grant.oid);
  if (user === undefined) return invalidGrant(50034, "The user account does not exist in the directory.");
  const scope = parsed.value.scope ?? grant.scope;
  const scopes = checkResource(deps, scope, false);
  if (!scopes.ok) return scopes.result;
  const authTime = deps.sessions.get(grant.sid)?.authTime ?? epochSeconds(deps.clock);
  const idToken = await deps.tokens.idToken({ user, clientId, sid: grant.sid, nonce: grant.nonce, authTime });
  return issue(deps, { user, clientId, sid: grant.sid, scope, scopes: scopes.value, idToken });
}

async function refreshGrant(deps: GrantDeps, clientId: string, params: Params): Promise<GrantResult> {
  const parsed = parseOrFail(refreshSchema, params);
  if (!parsed.ok) return parsed.result;
  const { refresh_token: refreshToken, scope } = parsed.value;
  const grant = deps.refreshTokens.lookup(refreshToken);
  if (grant === undefined) return invalidGrant(9002313, "Invalid request. The refresh token is malformed, unknown or expired.");
  if (grant.clientId !== clientId) return invalidGrant(700005, "The refresh token was issued to a different application.");
  const user = deps.users.byOid(grant.oid);
  if (user === undefined) return invalidGrant(50034, "The user account does not exist in the directory.");
  const scopes = checkResource(deps, scope, true);
  if (!scopes.ok) return scopes.result;
  const authTime = deps.sessions.get(grant.sid)?.authTime ?? epochSeconds(deps.clock);
  const idToken = scopes.value.openid ? await deps.tokens.idToken({ user, clientId, sid: grant.sid, nonce: undefined, authTime }) : undefined;
  return issue(deps, { user, clientId, sid: grant.sid, scope, scopes: scopes.value, idToken });
}

/** Resolves the resource and applies the fault switches that target it. */
function checkResource(deps: GrantDeps, scope: string, refresh: boolean): { ok: true; value: ResolvedScopes } | { ok: false; result: GrantResult } {
  const scopes = resolveScopes(scope);
  if (!scopes.ok) return { ok: false, result: fail(aadError("invalid_scope", scopes.aadsts, scopes.message)) };
  const { resource } = scopes.value;
  if (deps.faults.refuses(resource)) {
    const message =
      `The resource principal named ${resource} was not found in the tenant named ${deps.tenantId}. ` +
      "This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. " +
      "You might have sent your authentication request to the wrong tenant.";
    return { ok: false, result: fail(aadError("invalid_resource", 500011, message)) };
  }
  if (refresh && deps.faults.requiresInteraction(resource)) {
    const message =
      "Due to a configuration change made by your administrator, or because you moved to a new location, " +
      `you must use multi-factor authentication to access '${resource}'.`;
    return { ok: false, result: fail(aadError("interaction_required", 50076, message)) };
  }
  return { ok: true, value: scopes.value };
}

interface Issue {
  user: TestUser;
  clientId: string;
  sid: string;
  scope: string;
  scopes: ResolvedScopes;
  idToken: string | undefined;
}

async function issue(deps: GrantDeps, { user, clientId, sid, scope, scopes, idToken }: Issue): Promise<GrantResult> {
  const access = await deps.tokens.accessToken({ user, clientId, resource: scopes.resource, scp: scopes.scp, sid });
  deps.stats.tokenIssued(scopes.resource);
  return {
    ok: true,
    body: {
      token_type: "Bearer",
      scope,
      expires_in: access.expiresIn,
      ext_expires_in: access.expiresIn,
      access_token: access.token,
      refresh_token: deps.refreshTokens.issue({ clientId, oid: user.oid, sid }),
      refresh_token_expires_in: REFRESH_TOKEN_LIFETIME_SEC,
      ...(idToken === undefined ? {} : { id_token: idToken }),
      client_info: deps.tokens.clientInfo(user.oid),
    },
  };
}
