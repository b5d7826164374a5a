import express, { type Router } from "express";
import type { Logger } from "pino";
import type { ClientRegistry } from "../clients.js";
import { acceptsTenant, type Endpoints } from "../endpoints.js";
import { clearSessionCookie, readCookie, SESSION_COOKIE } from "../http/cookies.js";
import { sendHtml } from "../http/html.js";
import { collectParams, pathParam, queryOf } from "../http/params.js";
import type { SessionStore } from "../sessions.js";
import { renderSignedOutPage } from "./pages.js";

export interface LogoutDeps {
  endpoints: Endpoints;
  clients: ClientRegistry;
  sessions: SessionStore;
  logger: Logger;
}

function httpUrl(value: string | undefined): URL | undefined {
  if (value === undefined) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `GET /{tenant}/oauth2/v2.0/logout`: ends the cookie's session and goes to
 * `post_logout_redirect_uri` only when it lies on the origin of a registered
 * redirect URI; otherwise it shows a signed-out page.
 */
export function createLogoutRouter({ endpoints, clients, sessions, logger }: LogoutDeps): Router {
  const router = express.Router();

  router.get("/:tenant/oauth2/v2.0/logout", (req, res) => {
    const sid = readCookie(req, SESSION_COOKIE);
    if (sid !== undefined) sessions.end(sid);
    clearSessionCookie(res);
    res.set("Cache-Control", "no-store");
    const collected = collectParams(queryOf(req));
    const params = collected.ok ? collected.params : {};
    const target = httpUrl(params.post_logout_redirect_uri);
    const clientId = params.client_id;
    if (acceptsTenant(endpoints, pathParam(req, "tenant")) && target !== undefined && clients.allowsPostLogoutOrigin(target, clientId)) {
      res.redirect(302, target.toString());
      return;
    }
    if (target !== undefined) logger.info("post_logout_redirect_uri refused: not on a registered origin");
    sendHtml(res, 200, renderSignedOutPage());
  });

  return router;
}
