import { describeParseError, type ParseResult } from "./result.js";

/**
 * What the two browser apps (console and portal) share beyond the wire
 * format: the postMessage guard, the exact-origin check and the
 * `/config.json` loader. Nothing here touches the DOM, so it compiles and
 * tests like the rest of the protocol.
 */

/** WHATWG URL, present in every runtime authbridge targets (browsers, Node); the protocol compiles without DOM or Node types. */
declare const URL: new (input: string) => { readonly protocol: string; readonly origin: string };

/**
 * True when `value` is exactly a web origin such as `http://localhost:5173`:
 * http(s), no path, query, fragment, userinfo or trailing slash. postMessage
 * checks compare `event.origin` with this string, so it must be canonical.
 */
export function isWebOrigin(value: string): boolean {
  let url: { protocol: string; origin: string };
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (url.protocol === "http:" || url.protocol === "https:") && url.origin === value;
}

/** The parts of a `MessageEvent` a guard looks at. */
export interface InboundMessage {
  readonly origin: string;
  readonly source: unknown;
  readonly data: unknown;
}

export type GuardVerdict<T> = { accepted: true; message: T } | { accepted: false; reason: "origin" | "source" | "malformed" };

/**
 * Accepts a message only from the one expected window at the one expected
 * origin, and only when `parse` accepts its data.
 */
export function guardMessage<T>(event: InboundMessage, expected: { origin: string; source: unknown }, parse: (data: unknown) => ParseResult<T>): GuardVerdict<T> {
  if (event.origin !== expected.origin) return { accepted: false, reason: "origin" };
  if (expected.source === null || expected.source === undefined || event.source !== expected.source) {
    return { accepted: false, reason: "source" };
  }
  const parsed = parse(event.data);
  if (!parsed.ok) return { accepted: false, reason: "malformed" };
  return { accepted: true, message: parsed.value };
}

/** The slice of `fetch` the config loader uses (the page passes `fetch.bind(window)`). */
export type ConfigFetch = (url: string, init: { cache: "no-store"; credentials: "omit" }) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;

export type LoadedAppConfig<T> = { ok: true; config: T } | { ok: false; message: string };

/** Fetches and validates an app's `/config.json`; a failure comes back as a message for the page. */
export async function loadAppConfig<T>(fetchImpl: ConfigFetch, url: string, parse: (data: unknown) => ParseResult<T>): Promise<LoadedAppConfig<T>> {
  let data: unknown;
  try {
    const response = await fetchImpl(url, { cache: "no-store", credentials: "omit" });
    if (!response.ok) return { ok: false, message: `${url} answered HTTP ${response.status}.` };
    data = await response.json();
  } catch {
    return { ok: false, message: `${url} could not be loaded as JSON.` };
  }
  const parsed = parse(data);
  if (!parsed.ok) return { ok: false, message: `${url} is invalid: ${describeParseError(parsed.error)}` };
  return { ok: true, config: parsed.value };
}
