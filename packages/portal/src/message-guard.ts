import { parseConsoleToPortalMessage, type ConsoleToPortalMessage } from "@authbridge/protocol";

/** The parts of a `MessageEvent` the guard looks at. */
export interface InboundMessage {
  readonly origin: string;
  readonly source: unknown;
  readonly data: unknown;
}

export type GuardVerdict =
  | { accepted: true; message: ConsoleToPortalMessage }
  | { accepted: false; reason: "origin" | "source" | "malformed" };

/**
 * Accepts a message only from the console iframe's window at the console
 * origin, and only when it parses as a console → portal envelope.
 */
export function guardConsoleMessage(event: InboundMessage, expected: { origin: string; source: unknown }): GuardVerdict {
  if (event.origin !== expected.origin) return { accepted: false, reason: "origin" };
  if (expected.source === null || expected.source === undefined || event.source !== expected.source) {
    return { accepted: false, reason: "source" };
  }
  const parsed = parseConsoleToPortalMessage(event.data);
  if (!parsed.ok) return { accepted: false, reason: "malformed" };
  return { accepted: true, message: parsed.value };
}
