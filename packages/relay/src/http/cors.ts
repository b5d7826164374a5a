import { AuthbridgeError } from "@authbridge/protocol";
import type { RequestHandler } from "express";
import { sendError } from "./send-error.js";

const ALLOWED_METHODS = "GET, POST, DELETE";
const ALLOWED_HEADERS = "Authorization, Content-Type";
const PREFLIGHT_MAX_AGE_SECONDS = "600";

/**
 * CORS for the portal origins only. A request carrying any other Origin is
 * refused with 403 before it reaches a route; requests without Origin (not
 * from a browser page) pass and still need their bearer token.
 */
export function createCors(corsOrigins: readonly string[]): RequestHandler {
  const allowed = new Set(corsOrigins);
  return (req, res, next) => {
    res.vary("Origin");
    const origin = req.headers.origin;
    if (origin === undefined) {
      if (req.method === "OPTIONS") res.status(204).end();
      else next();
      return;
    }
    if (!allowed.has(origin)) {
      sendError(res, new AuthbridgeError("OriginNotAllowed", "this origin may not call the relay API"));
      return;
    }
    res.setHeader("Access-Control-Allow-Origin", origin);
    if (req.method === "OPTIONS") {
      res.setHeader("Access-Control-Allow-Methods", ALLOWED_METHODS);
      res.setHeader("Access-Control-Allow-Headers", ALLOWED_HEADERS);
      res.setHeader("Access-Control-Max-Age", PREFLIGHT_MAX_AGE_SECONDS);
      res.status(204).end();
      return;
    }
    next();
  };
}
