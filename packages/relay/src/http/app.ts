import express, { type Express } from "express";
import type { Logger } from "pino";
import { createApiRouter, type ApiDeps } from "./api.js";
import { createCors } from "./cors.js";
import { createErrorHandler, notFound } from "./send-error.js";

/** JSON request bodies are tiny (none of the routes needs one); cap them. */
const MAX_JSON_BODY = "16kb";

export interface AppDeps extends ApiDeps {
  corsOrigins: readonly string[];
  logger: Logger;
  /** Ready while the relay accepts sessions (false once it is shutting down). */
  ready?: () => boolean;
  /** Served as Prometheus text on `GET /metrics` when given. */
  metrics?: { readonly contentType: string; render(): Promise<string> };
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable("x-powered-by");
  app.get("/healthz", (_req, res) => {
    res.status(200).json({ status: "ok" });
  });
  app.get("/readyz", (_req, res) => {
    const sessions = deps.store.count();
    if (deps.ready?.() === false) res.status(503).json({ error: { code: "ShuttingDown", message: "the relay is shutting down" } });
    else res.status(200).json({ status: "ready", sessions });
  });
  const { metrics } = deps;
  if (metrics !== undefined) {
    app.get("/metrics", (_req, res, next) => {
      metrics.render().then((text) => res.set("content-type", metrics.contentType).set("cache-control", "no-store").send(text), next);
    });
  }
  app.use("/api", createCors(deps.corsOrigins), express.json({ limit: MAX_JSON_BODY }), createApiRouter(deps));
  app.use(notFound);
  app.use(createErrorHandler(deps.logger));
  return app;
}
