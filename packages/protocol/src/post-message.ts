import { z } from "zod";
import { POST_MESSAGE_CHANNEL } from "./constants.js";
import type { ParseResult } from "./result.js";
import { epochMs, parseWith, requestId, resource, token, version, wireError } from "./schema.js";

const channel = z.literal(POST_MESSAGE_CHANNEL);

/** Console → portal: the iframe has loaded and waits for `connect`. */
export const readyMessage = z.object({ channel, v: version, type: z.literal("ready") });
/** Portal → console: where the relay is and the single-use ticket to attach with. */
export const connectMessage = z.object({
  channel,
  v: version,
  type: z.literal("connect"),
  relayUrl: z
    .string()
    .max(2048)
    .regex(/^wss?:\/\//, "must be a ws:// or wss:// URL"),
  ticket: z.string().min(16).max(256).regex(/^[A-Za-z0-9_-]+$/, "must be base64url"),
});
/** Console → portal: a relayed `token.request`. */
export const tokenRequestMessage = z.object({
  channel,
  v: version,
  type: z.literal("token.request"),
  id: requestId,
  resource,
  deadline: epochMs,
});
const tokenResponseOkMessage = z.object({
  channel,
  v: version,
  type: z.literal("token.response"),
  id: requestId,
  ok: z.literal(true),
  token,
});
const tokenResponseErrorMessage = z.object({
  channel,
  v: version,
  type: z.literal("token.response"),
  id: requestId,
  ok: z.literal(false),
  error: wireError,
});
/** Portal → console: the answer to a `token.request` with the same `id`. */
export const tokenResponseMessage = z.discriminatedUnion("ok", [tokenResponseOkMessage, tokenResponseErrorMessage]);

export type ReadyMessage = z.infer<typeof readyMessage>;
export type ConnectMessage = z.infer<typeof connectMessage>;
export type TokenRequestMessage = z.infer<typeof tokenRequestMessage>;
export type TokenResponseMessage = z.infer<typeof tokenResponseMessage>;

/** What the portal accepts from the console iframe. */
export const consoleToPortalMessage = z.discriminatedUnion("type", [readyMessage, tokenRequestMessage]);
export type ConsoleToPortalMessage = z.infer<typeof consoleToPortalMessage>;
/** What the console accepts from the portal. */
export const portalToConsoleMessage = z.discriminatedUnion("type", [connectMessage, tokenResponseMessage]);
export type PortalToConsoleMessage = z.infer<typeof portalToConsoleMessage>;

export function parseConsoleToPortalMessage(input: unknown): ParseResult<ConsoleToPortalMessage> {
  return parseWith(consoleToPortalMessage, input);
}
export function parsePortalToConsoleMessage(input: unknown): ParseResult<PortalToConsoleMessage> {
  return parseWith(portalToConsoleMessage, input);
}
