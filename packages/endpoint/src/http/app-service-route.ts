import { AuthbridgeError, audienceNotSupportedMessage, type Allowlist, type Token } from "@authbridge/protocol";
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { TokenSource } from "../agent/relay-agent.js";
import type { TokenCache } from "../cache/token-cache.js";
import { silentLogger } from "../logger.js";
import { checkMethod, checkOrigin } from "./request-checks.js";
import { sendError, sendJson, toAuthbridgeError } from "./responses.js";
import { parseTokenParams } from "./token-params.js";
import { splitUrl, type TokenRoute } from "./token-paths.js";

/** App Service's managed-identity path (`IDENTITY_ENDPOINT`). */
export const APP_SERVICE_TOKEN_PATH = "/msi/token";
/** The one App Service API version whose shape this dialect answers. */
export const APP_SERVICE_API_VERSION = "2019-08-01";
/** The header that must carry `IDENTITY_HEADER` (node lower-cases header names). */
export const IDENTITY_HEADER_NAME = "x-identity-header";

/** The header is missing: 400, as App Service answers a request without it. */
export const IDENTITY_HEADER_REQUIRED = "IdentityHeaderRequired";
/** The header does not match the secret: 401. */
export const IDENTITY_HEADER_INVALID = "IdentityHeaderInvalid";

const ROUTE: TokenRoute = { dialect: "imds", method: "GET", path: APP_SERVICE_TOKEN_PATH };

export interface AppServiceHandlerDeps {
  /** The value clients get as `IDENTITY_HEADER`. */
  secret: string;
  cache: TokenCache;
  allowlist: Allowlist;
  tokens: TokenSource;
  logger?: Logger;
}

export type AppServiceHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** Whether a request path is the App Service token path (with or without a trailing slash). */
export function isAppServicePath(pathname: string): boolean {
  return pathname === APP_SERVICE_TOKEN_PATH || pathname === `${APP_SERVICE_TOKEN_PATH}/`;
}

/**
 * The opt-in App Service dialect: `GET /msi/token?api-version=2019-08-01&resource=…`
 * with `X-IDENTITY-HEADER: <secret>`. Shares the Cloud Shell routes' cache,
 * allowlist and relay; answers App Service's shape (`expires_on` in epoch
 * seconds, no `expires_in`). Checks, in order: Host and X-Forwarded-For,
 * method, the secret (constant time), api-version, parameters, allowlist.
 */
export function createAppServiceHandler(deps: AppServiceHandlerDeps): AppServiceHandler {
  const expected = Buffer.from(deps.secret, "utf8");
  const log = (deps.logger ?? silentLogger()).child({ component: "app-service-route" });

  function refuse(res: ServerResponse, error: AuthbridgeError, allow?: string): void {
    sendError(res, error, { close: true, ...(allow === undefined ? {} : { headers: { allow } }) });
    log[error.status >= 500 ? "warn" : "info"]({ outcome: error.code, status: error.status }, "app service token request refused");
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const early = checkOrigin(req) ?? checkMethod(req, ROUTE) ?? checkSecret(req.headers[IDENTITY_HEADER_NAME], expected);
    if (early !== undefined) {
      refuse(res, early, early.code === "MethodNotAllowed" ? "GET" : undefined);
      return;
    }
    const { query } = splitUrl(req.url ?? "/");
    const apiVersion = new URLSearchParams(query).get("api-version");
    if (apiVersion !== APP_SERVICE_API_VERSION) {
      refuse(res, new AuthbridgeError("InvalidRequest", `Add api-version=${APP_SERVICE_API_VERSION} to the query string; it is the App Service version this endpoint answers.`));
      return;
    }
    // GET: any body is ignored, as App Service does.
    const params = parseTokenParams(ROUTE, query, "");
    if (params instanceof AuthbridgeError) {
      refuse(res, params);
      return;
    }
    const { resource } = params;
    if (!deps.allowlist.has(resource)) {
      refuse(res, new AuthbridgeError("AudienceNotSupported", audienceNotSupportedMessage(resource, deps.allowlist)));
      return;
    }
    const lookup = await deps.cache.get(resource, () => deps.tokens.requestToken(resource));
    sendJson(res, 200, appServiceResponseBody(lookup.token, resource));
    log.info({ outcome: "ok", cached: lookup.fromCache }, "app service token served");
  }

  return (req, res) => {
    handle(req, res).catch((thrown: unknown) => {
      const error = toAuthbridgeError(thrown);
      if (error.code === "Internal") log.error({ err: thrown }, "app service token request failed");
      refuse(res, error);
    });
  };
}

/** Missing → 400 `IdentityHeaderRequired`; present but wrong → 401 `IdentityHeaderInvalid`. */
function checkSecret(header: string | string[] | undefined, expected: Buffer): AuthbridgeError | undefined {
  if (header === undefined || header === "") {
    return new AuthbridgeError(IDENTITY_HEADER_REQUIRED, "Add the header X-IDENTITY-HEADER with the value of IDENTITY_HEADER (see `authbridge-endpoint env`).", { status: 400 });
  }
  const given = Buffer.from(Array.isArray(header) ? header.join(",") : header, "utf8");
  // timingSafeEqual needs equal lengths; compare against the expected value itself so the time does not depend on the guess.
  const same = given.length === expected.length ? timingSafeEqual(given, expected) : !timingSafeEqual(expected, expected);
  return same ? undefined : new AuthbridgeError(IDENTITY_HEADER_INVALID, "X-IDENTITY-HEADER does not match IDENTITY_HEADER; take both from `authbridge-endpoint env`.", { status: 401 });
}

/**
 * App Service's 2019-08-01 success body, every value a string:
 * `{ access_token, expires_on, resource, token_type, client_id }`.
 * `client_id` is the token's `appid`/`azp` claim (the app the user signed in to).
 */
export function appServiceResponseBody(token: Token, resource: string): string {
  return JSON.stringify({
    access_token: token.accessToken,
    expires_on: String(token.expiresOn),
    resource,
    token_type: "Bearer",
    client_id: clientIdOf(token.accessToken),
  });
}

/** The `appid` (v1) or `azp` (v2) claim of an unverified JWT, or "" (for echoing only, never trusted). */
function clientIdOf(accessToken: string): string {
  const payload = accessToken.split(".")[1];
  if (payload === undefined) return "";
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return "";
  }
  if (typeof claims !== "object" || claims === null) return "";
  for (const name of ["appid", "azp"]) {
    const value: unknown = Object.getOwnPropertyDescriptor(claims, name)?.value;
    if (typeof value === "string") return value;
  }
  return "";
}
