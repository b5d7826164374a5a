import { z } from "zod";
import { MAX_ACCESS_TOKEN_LENGTH, MAX_RESOURCE_LENGTH, PROTOCOL_VERSION } from "./constants.js";
import { parseFailure, type ParseResult } from "./result.js";

/** Building blocks shared by relay frames and postMessage envelopes. */
export const version = z.literal(PROTOCOL_VERSION);
export const requestId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_-]+$/, "must be 1-128 characters of [A-Za-z0-9_-]");
export const resource = z
  .string()
  .min(1)
  .max(MAX_RESOURCE_LENGTH)
  .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces");
/** Epoch milliseconds. */
export const epochMs = z.number().int().nonnegative();
/** Epoch seconds. */
export const epochSeconds = z.number().int().nonnegative();
export const errorCode = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.]+$/, "must be 1-64 characters of [A-Za-z0-9_.]");
export const errorMessage = z.string().max(2048);

export const token = z.object({
  accessToken: z.string().min(1).max(MAX_ACCESS_TOKEN_LENGTH),
  expiresOn: epochSeconds,
  notBefore: epochSeconds.optional(),
  tokenType: z.string().min(1).max(32),
  resource,
});
export type Token = z.infer<typeof token>;

export const wireError = z.object({ code: errorCode, message: errorMessage });
export type WireError = z.infer<typeof wireError>;

/** Runs a zod schema over untrusted input, reporting the first failing path. */
export function parseWith<T>(schema: z.ZodType<T>, input: unknown): ParseResult<T> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  const path = issue === undefined ? "" : issue.path.map(String).join(".");
  return parseFailure(path, issue?.message ?? "invalid");
}

/** Parses a JSON text of at most `maxBytes` UTF-16 code units, then applies `schema`. */
export function parseJsonWith<T>(schema: z.ZodType<T>, text: string, maxBytes: number): ParseResult<T> {
  if (text.length > maxBytes) return parseFailure("", `message larger than ${maxBytes} bytes`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return parseFailure("", "not valid JSON");
  }
  return parseWith(schema, data);
}
