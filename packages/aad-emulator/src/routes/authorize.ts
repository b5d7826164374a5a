import express, { type Request, type Response, type Router } from "express";
import type { Logger } from "pino";
import { z } from "zod";
import { aadError, duplicateParameter, type AadError } from "../aad-error.js";
import {
  CARRIED_PARAMS,
  checkAuthorizeRequest,
  checkTarget,
  errorAnswer,
  responseUrl,
  type AuthorizeRequest,
  type ResponseMode,
} from "../authorize-request.js";
import type { ClientRegistry } from "../clients.js";
import type { CodeStore } from "../codes.js";
import { acceptsTenant, type Endpoints } from "../endpoints.js";
import { readCookie, SESSION_COOKIE, setSessionCookie } from "../http/cookies.js";
import { sendHtml } from "../http/html.js";
import { collectParams, formOf, parseParams, pathParam, queryOf, type Params } from "../http/params.js";
import type { Session, SessionStore } from "../sessions.js";
import type { StatsCounter } from "../stats.js";
import type { TokenIssuer } from "../tokens.js";
import type { TestUser, UserDirectory } from "../users.js";
import { renderLoginPage, WRONG_CREDENTIALS } from "./login-page.js";
import { renderErrorPage } from "./pages.js";

export interface AuthorizeDeps {
  endpoints: Endpoints;
  clients: ClientRegistry;
  users: UserDirectory;
  sessions: SessionStore;
  codes: CodeStore;
  tokens: Pick<TokenIssuer, "clientInfo">;
  stats: StatsCounter;
  logger: Logger;
}

export const AUTHORIZE_PATH = "/:tenant/oauth2/v2.0/authorize";
export const LOGIN_PATH = "/:tenant/oauth2/v2.0/authorize/login";

const credentialsSchema = z.object({
  username: z.string().max(320),
  password: z.string().max(1024),
});

const unknownTenant = (tenant: string): AadError =>
  aadError("invalid_tenant", 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);

const loginRequired = (): AadError =>
  aadError("login_required", 50058, "A silent sign-in request was sent but no user is signed in. Send prompt=none with login_hint or sid of a signed-in user.");

/**
 * `GET /{tenant}/oauth2/v2.0/authorize` and the login form's POST. The client
 * and redirect URI are checked first and failures stay on an error page;
 * everything later answers at the redirect URI. `prompt=none` is approved
 * from `sid` or `login_hint`, not from cookies, because MSAL's hidden iframe
 * gets none; every other prompt shows the login page.
 */
export function createAuthorizeRouter(deps: AuthorizeDeps): Router {
  const { endpoints, clients, users, sessions, codes, tokens, stats, logger } = deps;
  const router = express.Router();
  const formBody = express.text({ type: "application/x-www-form-urlencoded", limit: "64kb" });

  /** Parses the request up to a trusted target, or answers and returns undefined. */
  function trustedRequest(req: Request, res: Response, search: URLSearchParams): AuthorizeRequest | undefined {
    const tenant = pathParam(req, "tenant");
    if (!acceptsTenant(endpoints, tenant)) {
      sendHtml(res, 400, renderErrorPage(unknownTenant(tenant)));
      return undefined;
    }
    const collected = collectParams(search);
    if (!collected.ok) {
      sendHtml(res, 400, renderErrorPage(duplicateParameter(collected.duplicate)));
      return undefined;
    }
    const target = checkTarget(collected.params, clients);
    if (!target.ok) {
      logger.info({ aadsts: target.error.aadsts }, "authorize refused without redirect");
      sendHtml(res, 400, renderErrorPage(target.error));
      return undefined;
    }
    const checked = checkAuthorizeRequest(collected.params, target.target);
    if (!checked.ok) {
      redirectError(res, target.target.redirectUri, checked.responseMode, checked.error, checked.state);
      return undefined;
    }
    return checked.request;
  }

  function redirectError(res: Response, redirectUri: string, mode: ResponseMode, error: AadError, state: string | undefined): void {
    logger.info({ error: error.error, aadsts: error.aadsts }, "authorize error redirect");
    res.redirect(302, responseUrl(redirectUri, mode, errorAnswer(error, state)));
  }

  function completeSignIn(res: Response, request: AuthorizeRequest, user: TestUser, session: Session): void {
    const code = codes.issue({
      clientId: request.clientId,
      redirectUri: request.redirectUri,
      codeChallenge: request.codeChallenge,
      scope: request.scope,
      nonce: request.nonce,
      oid: user.oid,
      sid: session.sid,
    });
    setSessionCookie(res, session.sid);
    res.set("Cache-Control", "no-store");
    res.redirect(
      302,
      responseUrl(request.redirectUri, request.responseMode, {
        code,
        client_info: tokens.clientInfo(user.oid),
        state: request.state,
        session_state: session.sid,
      }),
    );
  }

  /** prompt=none: a session named by `sid`, else a known `login_hint`, else the cookie (when a browser sends one). */
  function silentSession(req: Request, request: AuthorizeRequest): { user: TestUser; session: Session } | undefined {
    const fromSid = request.sid === undefined ? undefined : sessions.get(request.sid);
    const sidUser = fromSid === undefined ? undefined : users.byOid(fromSid.oid);
    if (fromSid !== undefined && sidUser !== undefined) return { user: sidUser, session: fromSid };
    const cookieSid = readCookie(req, SESSION_COOKIE);
    const fromCookie = cookieSid === undefined ? undefined : sessions.get(cookieSid);
    if (request.loginHint !== undefined) {
      const hinted = users.byUsername(request.loginHint);
      if (hinted === undefined) return undefined;
      const session = fromCookie?.oid === hinted.oid ? fromCookie : sessions.create(hinted.oid);
      return { user: hinted, session };
    }
    const cookieUser = fromCookie === undefined ? undefined : users.byOid(fromCookie.oid);
    if (fromCookie !== undefined && cookieUser !== undefined) return { user: cookieUser, session: fromCookie };
    return undefined;
  }

  function carried(params: URLSearchParams): Record<string, string> {
    const hidden: Record<string, string> = {};
    for (const name of CARRIED_PARAMS) {
      const value = params.get(name);
      if (value !== null) hidden[name] = value;
    }
    return hidden;
  }

  function loginPage(res: Response, status: number, tenant: string, params: URLSearchParams, username: string, error?: string): void {
    const action = `/${encodeURIComponent(tenant)}/oauth2/v2.0/authorize/login`;
    const usernames = users.list().map((user) => user.username);
    sendHtml(res, status, renderLoginPage({ action, hidden: carried(params), username, usernames, ...(error === undefined ? {} : { error }) }));
  }

  router.get(AUTHORIZE_PATH, (req, res) => {
    stats.authorizeRequest();
    const search = queryOf(req);
    const request = trustedRequest(req, res, search);
    if (request === undefined) return;
    if (request.prompt === "none") {
      const silent = silentSession(req, request);
      if (silent === undefined) {
        redirectError(res, request.redirectUri, request.responseMode, loginRequired(), request.state);
        return;
      }
      completeSignIn(res, request, silent.user, silent.session);
      return;
    }
    loginPage(res, 200, pathParam(req, "tenant"), search, request.loginHint ?? "");
  });

  router.post(LOGIN_PATH, formBody, (req, res) => {
    const form = formOf(req);
    const request = trustedRequest(req, res, form);
    if (request === undefined) return;
    const collected = collectParams(form);
    const params: Params = collected.ok ? collected.params : {};
    const credentials = parseParams(credentialsSchema, params);
    const user = credentials.ok ? users.authenticate(credentials.value.username, credentials.value.password) : undefined;
    if (user === undefined) {
      logger.info("login refused: wrong user name or password");
      const username = credentials.ok ? credentials.value.username : "";
      loginPage(res, 401, pathParam(req, "tenant"), form, username, WRONG_CREDENTIALS);
      return;
    }
    completeSignIn(res, request, user, sessions.create(user.oid));
  });

  return router;
}
