import { parsePortalToConsoleMessage, type PortalToConsoleMessage } from "@authbridge/protocol";

/** The parts of a `MessageEvent` the guard looks at. */
export interface InboundMessage {
  readonly origin: string;
  readonly source: unknown;
  readonly data: unknown;
}

export type GuardVerdict =
  | { accepted: true; message: PortalToConsoleMessage }
  | { accepted: false; reason: "origin" | "source" | "malformed" };

/**
 * Accepts a message only from the one expected window at the one expected
 * origin, and only when it parses as a portal → console envelope.
 */
export function guardPortalMessage(event: InboundMessage, expected: { origin: string; source: unknown }): GuardVerdict {
  if (event.origin !== expected.origin) return { accepted: false, reason: "origin" };
  if (expected.source === null || expected.source === undefined || event.source !== expected.source) {
    return { accepted: false, reason: "source" };
  }
  const parsed = parsePortalToConsoleMessage(event.data);
  if (!parsed.ok) return { accepted: false, reason: "malformed" };
  return { accepted: true, message: parsed.value };
}
