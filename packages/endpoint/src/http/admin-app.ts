import { AuthbridgeError, errorBody } from "@authbridge/protocol";
import express, { type Express, type NextFunction, type Request, type Response } from "express";
import type { Logger } from "pino";
import type { RelayAgentStatus } from "../agent/relay-agent.js";
import { MESSAGES } from "../messages.js";

export interface AdminAppDeps {
  status: () => RelayAgentStatus;
  logger: Logger;
  /** Served as Prometheus text on `GET /metrics` when given. */
  metrics?: { readonly contentType: string; render(): Promise<string> };
}

/**
 * Everything off the token hot path: health, readiness, and the JSON 404.
 * Readiness means a token request could be served now: relay connected and
 * a browser attached.
 */
export function createAdminApp(deps: AdminAppDeps): Express {
  const app = express();
  app.disable("x-powered-by");
  app.disable("etag");
  app.set("json spaces", 0);

  app.get("/healthz", (_req, res) => {
    res.set("cache-control", "no-store").json({ status: "ok" });
  });

  app.get("/readyz", (_req, res) => {
    const status = deps.status();
    if (status.relay !== "connected") {
      const message = status.relay === "ended" ? MESSAGES.SessionEnded : MESSAGES.RelayUnavailable;
      sendError(res, new AuthbridgeError("RelayUnavailable", message));
    } else if (!status.browser) {
      sendError(res, new AuthbridgeError("BrowserNotConnected", MESSAGES.BrowserNotConnected));
    } else {
      res.set("cache-control", "no-store").json({ status: "ready", relay: status.relay, browser: status.browser });
    }
  });

  const { metrics } = deps;
  if (metrics !== undefined) {
    app.get("/metrics", (_req, res, next) => {
      metrics.render().then((text) => res.set("content-type", metrics.contentType).set("cache-control", "no-store").send(text), next);
    });
  }

  app.use((_req, res) => {
    sendError(res, new AuthbridgeError("NotFound", MESSAGES.NotFound));
  });

  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    deps.logger.error({ err: error }, "admin route failed");
    sendError(res, new AuthbridgeError("Internal", MESSAGES.Internal));
  });

  return app;
}

function sendError(res: Response, error: AuthbridgeError): void {
  if (res.headersSent) return;
  res.status(error.status).set("cache-control", "no-store").json(errorBody(error.code, error.message));
}
