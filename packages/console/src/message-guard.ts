import { guardMessage, parsePortalToConsoleMessage, type GuardVerdict, type InboundMessage, type PortalToConsoleMessage } from "@authbridge/protocol";

/**
 * Accepts a message only from the one expected window (the parent) at the one
 * expected origin (the portal's), and only when it parses as a portal → console envelope.
 */
export function guardPortalMessage(event: InboundMessage, expected: { origin: string; source: unknown }): GuardVerdict<PortalToConsoleMessage> {
  return guardMessage(event, expected, parsePortalToConsoleMessage);
}
