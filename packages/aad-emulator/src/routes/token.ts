import express, { type Response, type Router } from "express";
import type { Logger } from "pino";
import { aadError, aadErrorBody, duplicateParameter, type AadError } from "../aad-error.js";
import type { Clock } from "../clock.js";
import { acceptsTenant, type Endpoints } from "../endpoints.js";
import type { FaultSwitches } from "../faults.js";
import { collectParams, formOf, pathParam, queryOf } from "../http/params.js";
import { newGuid } from "../random.js";
import type { StatsCounter } from "../stats.js";
import { redeemGrant, type GrantDeps } from "../token-grants.js";

export interface TokenRouteDeps extends GrantDeps {
  endpoints: Endpoints;
  faults: FaultSwitches;
  stats: StatsCounter;
  clock: Clock;
  logger: Logger;
  sleep(ms: number): Promise<void>;
}

export const TOKEN_PATH = "/:tenant/oauth2/v2.0/token";

const CLIENT_REQUEST_ID = /^[A-Za-z0-9-]{1,64}$/;

const CORS_HEADERS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "POST, OPTIONS",
  "Access-Control-Allow-Headers": "Content-Type, client-request-id, x-client-SKU, x-client-VER, x-client-OS, x-client-CPU, x-ms-lib-capability",
  "Access-Control-Max-Age": "600",
} as const;

/**
 * `POST /{tenant}/oauth2/v2.0/token`: the authorization_code and
 * refresh_token grants, answered with CORS for the browser. The fault
 * switches for delay and failure apply before anything else.
 */
export function createTokenRouter(deps: TokenRouteDeps): Router {
  const { endpoints, faults, stats, clock, logger } = deps;
  const router = express.Router();
  const formBody = express.text({ type: "application/x-www-form-urlencoded", limit: "64kb" });

  function sendError(res: Response, error: AadError, correlationId: string): void {
    logger.info({ error: error.error, aadsts: error.aadsts, status: error.status }, "token request refused");
    res.status(error.status).json(aadErrorBody(error, clock, correlationId));
  }

  router.options(TOKEN_PATH, (_req, res) => {
    res.set(CORS_HEADERS).status(204).end();
  });

  // Measured from before the body is read, so the benchmark can tell the emulator's own time from the bridge's.
  router.post(TOKEN_PATH, (_req, res, next) => {
    const started = performance.now();
    res.once("finish", () => stats.tokenHandled(performance.now() - started));
    next();
  });

  router.post(TOKEN_PATH, formBody, async (req, res) => {
    res.set({ ...CORS_HEADERS, "Cache-Control": "no-store", Pragma: "no-cache" });
    stats.tokenRequest();
    const requestId = queryOf(req).get("client-request-id");
    const correlationId = requestId !== null && CLIENT_REQUEST_ID.test(requestId) ? requestId : newGuid();
    if (requestId !== null) res.set("client-request-id", correlationId);

    const { delayMs, failStatus } = faults.get();
    if (delayMs > 0) {
      await deps.sleep(delayMs);
      // A token nobody can receive is not issued (nor counted): the client hung up during the delay.
      if (req.socket.destroyed) {
        logger.info({ delayMs }, "client left during the injected delay; nothing issued");
        return;
      }
    }
    if (failStatus !== null) {
      const message = `The service is temporarily unavailable (HTTP ${failStatus} injected by the emulator's failStatus fault). Try again later.`;
      sendError(res, aadError("temporarily_unavailable", 90033, message, { status: failStatus }), correlationId);
      return;
    }
    const tenant = pathParam(req, "tenant");
    if (!acceptsTenant(endpoints, tenant)) {
      sendError(res, aadError("invalid_request", 90002, `Tenant '${tenant}' not found.`), correlationId);
      return;
    }
    const collected = collectParams(formOf(req));
    if (!collected.ok) {
      sendError(res, duplicateParameter(collected.duplicate), correlationId);
      return;
    }
    const result = await redeemGrant(deps, collected.params);
    if (!result.ok) {
      sendError(res, result.error, correlationId);
      return;
    }
    logger.info({ grantType: collected.params.grant_type }, "token issued");
    res.status(200).json(result.body);
  });

  return router;
}
