import { AuthbridgeError, errorBody, type Token } from "@authbridge/protocol";
import type { ServerResponse } from "node:http";
import { epochSeconds } from "../clock.js";
import { MESSAGES } from "../messages.js";

export const JSON_CONTENT_TYPE = "application/json; charset=utf-8";

/**
 * The JSON string literal of each token's access token, made once per token:
 * escaping a 1.5–4 KiB token was the largest cost of a cache hit (a profile
 * showed JSON.stringify of the body at ~15% of the endpoint's CPU).
 */
const quotedAccessTokens = new WeakMap<Token, string>();

function quotedAccessToken(token: Token): string {
  let quoted = quotedAccessTokens.get(token);
  if (quoted === undefined) {
    quoted = JSON.stringify(token.accessToken);
    quotedAccessTokens.set(token, quoted);
  }
  return quoted;
}

/**
 * The Cloud Shell success body. Keys in Cloud Shell's order, every value a
 * string; `expires_in` counts from `nowMs` (reply time); `not_before` is the
 * token's own, else when the endpoint received it. Byte for byte what
 * `JSON.stringify` gives for that object; the numbers need no escaping.
 */
export function tokenResponseBody(token: Token, receivedAt: number, resource: string, nowMs: number): string {
  const expiresIn = Math.max(0, token.expiresOn - epochSeconds(nowMs));
  const notBefore = token.notBefore ?? epochSeconds(receivedAt);
  return `{"access_token":${quotedAccessToken(token)},"refresh_token":"","expires_in":"${expiresIn}","expires_on":"${token.expiresOn}","not_before":"${notBefore}","resource":${JSON.stringify(resource)},"token_type":"Bearer"}`;
}

/** Any thrown value as an error with a stable code; unknown failures become `Internal`. */
export function toAuthbridgeError(error: unknown): AuthbridgeError {
  return error instanceof AuthbridgeError ? error : new AuthbridgeError("Internal", MESSAGES.Internal, { cause: error });
}

export function errorResponseBody(error: AuthbridgeError): string {
  return JSON.stringify(errorBody(error.code, error.message));
}

export interface SendOptions {
  headers?: Readonly<Record<string, string>>;
  /** Close the connection after this response (refused or unread bodies). */
  close?: boolean;
}

/** Writes a JSON response unless the client has gone. */
export function sendJson(res: ServerResponse, status: number, body: string, options: SendOptions = {}): void {
  if (res.headersSent || res.destroyed) return;
  // One writeHead with every header (cheaper on the hot path than a setHeader each); headers set earlier still apply.
  const headers: Record<string, string | number> = { "content-type": JSON_CONTENT_TYPE, "content-length": Buffer.byteLength(body), "cache-control": "no-store", ...options.headers };
  if (options.close === true) {
    headers.connection = "close";
    res.shouldKeepAlive = false;
  }
  res.writeHead(status, headers);
  res.end(body);
}

export function sendError(res: ServerResponse, error: AuthbridgeError, options: SendOptions = {}): void {
  sendJson(res, error.status, errorResponseBody(error), options);
}
