import { AuthbridgeError } from "@authbridge/protocol";
import type { IncomingMessage } from "node:http";
import { MESSAGES, methodNotAllowedMessage } from "../messages.js";
import type { TokenRoute } from "./token-paths.js";

const LOOPBACK_HOST = /^(?:localhost|127\.0\.0\.1|\[::1\])(?::\d{1,5})?$/i;

/** `localhost`, `127.0.0.1` or `[::1]`, with or without a port. */
export function isLoopbackHost(host: string | undefined): boolean {
  return host !== undefined && LOOPBACK_HOST.test(host);
}

/**
 * Checks every request gets before any work: the Host header names the
 * loopback interface (DNS-rebinding defence) and the request was not
 * forwarded by a proxy.
 */
export function checkOrigin(req: IncomingMessage): AuthbridgeError | undefined {
  if (!isLoopbackHost(req.headers.host)) return new AuthbridgeError("HostNotAllowed", MESSAGES.HostNotAllowed);
  if (req.headers["x-forwarded-for"] !== undefined || req.headers.forwarded !== undefined) {
    return new AuthbridgeError("ForwardedRequestRefused", MESSAGES.ForwardedRequestRefused);
  }
  return undefined;
}

/** The dialect's one method, else 405 (the caller sets `Allow`). */
export function checkMethod(req: IncomingMessage, route: TokenRoute): AuthbridgeError | undefined {
  return req.method === route.method ? undefined : new AuthbridgeError("MethodNotAllowed", methodNotAllowedMessage(route.method, route.path));
}

/** `Metadata: true` (value case-insensitive), as IMDS and Cloud Shell require. */
export function checkMetadata(req: IncomingMessage): AuthbridgeError | undefined {
  const value = req.headers.metadata;
  return typeof value === "string" && value.toLowerCase() === "true"
    ? undefined
    : new AuthbridgeError("MetadataHeaderRequired", MESSAGES.MetadataHeaderRequired);
}
