import { AuthbridgeError, errorBody, type Token } from "@authbridge/protocol";
import type { ServerResponse } from "node:http";
import { epochSeconds } from "../clock.js";
import { MESSAGES } from "../messages.js";

export const JSON_CONTENT_TYPE = "application/json; charset=utf-8";

/**
 * The Cloud Shell success body. Keys in Cloud Shell's order, every value a
 * string; `expires_in` counts from `nowMs` (reply time); `not_before` is the
 * token's own, else when the endpoint received it.
 */
export function tokenResponseBody(token: Token, receivedAt: number, resource: string, nowMs: number): string {
  const expiresIn = Math.max(0, token.expiresOn - epochSeconds(nowMs));
  return JSON.stringify({
    access_token: token.accessToken,
    refresh_token: "",
    expires_in: String(expiresIn),
    expires_on: String(token.expiresOn),
    not_before: String(token.notBefore ?? epochSeconds(receivedAt)),
    resource,
    token_type: "Bearer",
  });
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
  res.statusCode = status;
  res.setHeader("content-type", JSON_CONTENT_TYPE);
  res.setHeader("content-length", Buffer.byteLength(body));
  res.setHeader("cache-control", "no-store");
  if (options.headers !== undefined) for (const [name, value] of Object.entries(options.headers)) res.setHeader(name, value);
  if (options.close === true) {
    res.setHeader("connection", "close");
    res.shouldKeepAlive = false;
  }
  res.end(body);
}

export function sendError(res: ServerResponse, error: AuthbridgeError, options: SendOptions = {}): void {
  sendJson(res, error.status, errorResponseBody(error), options);
}
