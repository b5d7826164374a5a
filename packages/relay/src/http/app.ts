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
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable("x-powered-by");
  app.get("/healthz", (_req, res) => {
    res.status(200).json({ status: "ok" });
  });
  app.use("/api", createCors(deps.corsOrigins), express.json({ limit: MAX_JSON_BODY }), createApiRouter(deps));
  app.use(notFound);
  app.use(createErrorHandler(deps.logger));
  return app;
}
