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
  const data = parseJsonText(text, maxBytes);
  return data.ok ? parseWith(schema, data.value) : data;
}

/** A value that passed its schema, and whether its text held nothing more (so the text can stand for it). */
export interface Checked<T> {
  value: T;
  /** True when the schema dropped no field of the text: re-encoding `value` would say exactly what the text says. */
  verbatim: boolean;
}

/** `parseJsonWith`, also saying whether the text held fields the schema dropped. */
export function parseJsonChecked<T>(schema: z.ZodType<T>, text: string, maxBytes: number): ParseResult<Checked<T>> {
  const data = parseJsonText(text, maxBytes);
  if (!data.ok) return data;
  const parsed = parseWith(schema, data.value);
  return parsed.ok ? { ok: true, value: { value: parsed.value, verbatim: sameFields(data.value, parsed.value) } } : parsed;
}

function parseJsonText(text: string, maxBytes: number): ParseResult<unknown> {
  if (text.length > maxBytes) return parseFailure("", `message larger than ${maxBytes} bytes`);
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return parseFailure("", "not valid JSON");
  }
}

/**
 * Whether `parsed` (a schema's output for `raw`) kept every field of `raw`.
 * The schemas only strip unknown keys (no transforms or defaults), so equal
 * key counts at every level mean equal values.
 */
function sameFields(raw: unknown, parsed: unknown): boolean {
  if (typeof parsed !== "object" || parsed === null) return true;
  if (typeof raw !== "object" || raw === null) return false;
  const rawRecord = raw as Record<string, unknown>;
  const parsedRecord = parsed as Record<string, unknown>;
  const keys = Object.keys(parsedRecord);
  if (keys.length !== Object.keys(rawRecord).length) return false;
  return keys.every((key) => sameFields(rawRecord[key], parsedRecord[key]));
}
