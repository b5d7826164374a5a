import { AuthbridgeError, errorBody } from "@authbridge/protocol";
import type { ErrorRequestHandler, RequestHandler, Response } from "express";
import type { Logger } from "pino";

export function sendError(res: Response, error: AuthbridgeError): void {
  res.status(error.status).json(errorBody(error.code, error.message));
}

/** Unknown routes answer in the same JSON shape. */
export const notFound: RequestHandler = (req, res) => {
  sendError(res, new AuthbridgeError("NotFound", `no route for ${req.method} ${req.path}`));
};

/** Maps thrown errors to `{"error":{"code","message"}}`; anything unexpected is a 500 without details. */
export function createErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (error instanceof AuthbridgeError) {
      if (error.status >= 500) logger.warn({ code: error.code, method: req.method, path: req.path, err: error.cause }, error.message);
      else logger.info({ code: error.code, method: req.method, path: req.path }, "request refused");
      sendError(res, error);
      return;
    }
    const bodyError = bodyParserError(error);
    if (bodyError !== undefined) {
      sendError(res, bodyError);
      return;
    }
    logger.error({ err: error, method: req.method, path: req.path }, "request failed");
    sendError(res, new AuthbridgeError("Internal", "the relay failed to handle the request"));
  };
}

/** body-parser marks its errors with a `type`. */
function bodyParserError(error: unknown): AuthbridgeError | undefined {
  if (!(error instanceof Error) || !("type" in error)) return undefined;
  if (error.type === "entity.too.large") return new AuthbridgeError("PayloadTooLarge", "the request body is too large");
  if (error.type === "entity.parse.failed") return new AuthbridgeError("InvalidRequest", "the request body is not valid JSON");
  if (typeof error.type === "string" && error.type.startsWith("entity.")) return new AuthbridgeError("InvalidRequest", "the request body could not be read");
  return undefined;
}
