import express, { type NextFunction, type Request, type Response, type Router } from "express";
import type { Logger } from "pino";
import { queryOf } from "../http/params.js";
import type { BearerVerifier } from "./verify-bearer.js";
import { subscriptionObject, virtualMachines } from "./fixtures.js";

export interface MockArmDeps {
  verify: BearerVerifier;
  subscriptionId: string;
  tenantId: string;
  /** Where a client should get a token: goes into `WWW-Authenticate`. */
  authorizationUri: string;
  logger: Logger;
}

function armError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

const headerSafe = (text: string): string => text.replace(/["\\\r\n]/g, "");

/**
 * A mock Azure Resource Manager: every request needs a valid ARM bearer token
 * from this emulator, then an `api-version`; it lists the demo subscription
 * and its three virtual machines.
 */
export function createMockArmRouter(deps: MockArmDeps): Router {
  const { verify, subscriptionId, tenantId, authorizationUri, logger } = deps;
  const router = express.Router();

  router.use((req, res, next) => {
    res.set({
      "Access-Control-Allow-Origin": "*",
      "Access-Control-Allow-Headers": "Authorization, Content-Type",
      "Access-Control-Allow-Methods": "GET, OPTIONS",
    });
    if (req.method === "OPTIONS") {
      res.status(204).end();
      return;
    }
    next();
  });

  router.use(async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const check = await verify(req.headers.authorization);
    if (!check.ok) {
      logger.info({ armCode: check.code }, "mock ARM refused a request");
      res.set(
        "WWW-Authenticate",
        `Bearer authorization_uri="${authorizationUri}", error="invalid_token", error_description="${headerSafe(check.message)}"`,
      );
      armError(res, 401, check.code, check.message);
      return;
    }
    const apiVersion = queryOf(req).get("api-version");
    if (apiVersion === null || apiVersion === "") {
      armError(res, 400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.");
      return;
    }
    next();
  });

  const knownSubscription = (req: Request<{ sub: string }>, res: Response): boolean => {
    if (req.params.sub.toLowerCase() === subscriptionId.toLowerCase()) return true;
    armError(res, 404, "SubscriptionNotFound", `The subscription '${req.params.sub}' could not be found.`);
    return false;
  };

  router.get("/subscriptions", (_req, res) => {
    res.json({ value: [subscriptionObject(subscriptionId, tenantId)], count: { type: "Total", value: 1 } });
  });

  router.get("/tenants", (_req, res) => {
    res.json({ value: [{ id: `/tenants/${tenantId}`, tenantId, tenantCategory: "Home", displayName: "authbridge demo", defaultDomain: "contoso.test" }] });
  });

  router.get("/subscriptions/:sub", (req, res) => {
    if (knownSubscription(req, res)) res.json(subscriptionObject(subscriptionId, tenantId));
  });

  router.get("/subscriptions/:sub/providers/Microsoft.Compute/virtualMachines", (req, res) => {
    if (knownSubscription(req, res)) res.json({ value: virtualMachines(subscriptionId) });
  });

  router.use((req, res) => {
    armError(res, 404, "InvalidResourceType", `The mock ARM does not serve '${req.path}'.`);
  });

  return router;
}
