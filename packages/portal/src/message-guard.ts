import { guardMessage, parseConsoleToPortalMessage, type ConsoleToPortalMessage, type GuardVerdict, type InboundMessage } from "@authbridge/protocol";

/**
 * Accepts a message only from the console iframe's window at the console
 * origin, and only when it parses as a console → portal envelope.
 */
export function guardConsoleMessage(event: InboundMessage, expected: { origin: string; source: unknown }): GuardVerdict<ConsoleToPortalMessage> {
  return guardMessage(event, expected, parseConsoleToPortalMessage);
}
