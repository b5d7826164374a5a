import { z } from "zod";
import { MAX_FRAME_BYTES } from "./constants.js";
import type { ParseResult } from "./result.js";
import { epochMs, errorCode, errorMessage, parseJsonChecked, parseJsonWith, parseWith, requestId, resource, token, version, wireError, type Checked } from "./schema.js";

/** Sent by each side once its socket is open. */
export const helloFrame = z.object({
  v: version,
  type: z.literal("hello"),
  role: z.enum(["agent", "browser"]),
  protocol: version,
});
/** Relay → a side, in answer to `hello`. */
export const welcomeFrame = z.object({
  v: version,
  type: z.literal("welcome"),
  sessionId: z.string().min(1).max(128),
  peer: z.boolean(),
});
/** Relay → both sides whenever the other side comes or goes. */
export const peerFrame = z.object({
  v: version,
  type: z.literal("peer"),
  state: z.enum(["connected", "disconnected"]),
});
/** Agent → browser: fetch a token for `resource` before `deadline` (epoch ms). */
export const tokenRequestFrame = z.object({
  v: version,
  type: z.literal("token.request"),
  id: requestId,
  resource,
  deadline: epochMs,
});
const tokenResponseOk = z.object({
  v: version,
  type: z.literal("token.response"),
  id: requestId,
  ok: z.literal(true),
  token,
});
const tokenResponseError = z.object({
  v: version,
  type: z.literal("token.response"),
  id: requestId,
  ok: z.literal(false),
  error: wireError,
});
/** Browser → agent: the answer to a `token.request` with the same `id`. */
export const tokenResponseFrame = z.discriminatedUnion("ok", [tokenResponseOk, tokenResponseError]);
/** Relay → a side: something went wrong, about request `id` when given. */
export const errorFrame = z.object({
  v: version,
  type: z.literal("error"),
  code: errorCode,
  message: errorMessage,
  id: requestId.optional(),
});

export type HelloFrame = z.infer<typeof helloFrame>;
export type WelcomeFrame = z.infer<typeof welcomeFrame>;
export type PeerFrame = z.infer<typeof peerFrame>;
export type TokenRequestFrame = z.infer<typeof tokenRequestFrame>;
export type TokenResponseFrame = z.infer<typeof tokenResponseFrame>;
export type ErrorFrame = z.infer<typeof errorFrame>;

export const relayFrame = z.discriminatedUnion("type", [helloFrame, welcomeFrame, peerFrame, tokenRequestFrame, tokenResponseFrame, errorFrame]);
export type RelayFrame = z.infer<typeof relayFrame>;

/** Frames an agent may send. */
export const agentFrame = z.discriminatedUnion("type", [helloFrame, tokenRequestFrame]);
export type AgentFrame = z.infer<typeof agentFrame>;
/** Frames a browser may send. */
export const browserFrame = z.discriminatedUnion("type", [helloFrame, tokenResponseFrame]);
export type BrowserFrame = z.infer<typeof browserFrame>;

export function parseRelayFrame(input: unknown): ParseResult<RelayFrame> {
  return parseWith(relayFrame, input);
}
export function parseRelayFrameText(text: string): ParseResult<RelayFrame> {
  return parseJsonWith(relayFrame, text, MAX_FRAME_BYTES);
}
export function parseAgentFrameText(text: string): ParseResult<AgentFrame> {
  return parseJsonWith(agentFrame, text, MAX_FRAME_BYTES);
}
export function parseBrowserFrameText(text: string): ParseResult<BrowserFrame> {
  return parseJsonWith(browserFrame, text, MAX_FRAME_BYTES);
}
/** For the relay, which forwards a frame's own text when the parser dropped nothing from it. */
export function checkAgentFrameText(text: string): ParseResult<Checked<AgentFrame>> {
  return parseJsonChecked(agentFrame, text, MAX_FRAME_BYTES);
}
export function checkBrowserFrameText(text: string): ParseResult<Checked<BrowserFrame>> {
  return parseJsonChecked(browserFrame, text, MAX_FRAME_BYTES);
}

/** Serialises a frame; the single place frames are turned into text. */
export function encodeFrame(frame: RelayFrame): string {
  return JSON.stringify(frame);
}
