import { describe, expect, it } from "vitest";
import { parseConsoleToPortalMessage, parsePortalToConsoleMessage } from "../src/index.js";

const ticket = "AbCdEfGhIjKlMnOpQrStUvWxYz012345";

describe("postMessage envelopes", () => {
  it("accepts ready and token.request from the console", () => {
    expect(parseConsoleToPortalMessage({ channel: "authbridge", v: 1, type: "ready" }).ok).toBe(true);
    const request = { channel: "authbridge", v: 1, type: "token.request", id: "r1", resource: "https://graph.microsoft.com/", deadline: 5 };
    expect(parseConsoleToPortalMessage(request)).toEqual({ ok: true, value: request });
  });

  it("accepts connect and token.response from the portal", () => {
    const connect = { channel: "authbridge", v: 1, type: "connect", relayUrl: "ws://127.0.0.1:1/ws/browser", ticket };
    expect(parsePortalToConsoleMessage(connect)).toEqual({ ok: true, value: connect });
    const error = { channel: "authbridge", v: 1, type: "token.response", id: "r1", ok: false, error: { code: "PolicyRefused", message: "no" } };
    expect(parsePortalToConsoleMessage(error)).toEqual({ ok: true, value: error });
  });

  it.each([
    ["another channel", { channel: "msal", v: 1, type: "connect", relayUrl: "ws://x", ticket }, "channel"],
    ["a connect to an http URL", { channel: "authbridge", v: 1, type: "connect", relayUrl: "http://evil", ticket }, "relayUrl"],
    ["a connect with a short ticket", { channel: "authbridge", v: 1, type: "connect", relayUrl: "ws://x", ticket: "abc" }, "ticket"],
    ["a javascript: relay URL", { channel: "authbridge", v: 1, type: "connect", relayUrl: "javascript:alert(1)", ticket }, "relayUrl"],
  ])("the console refuses %s", (_label, input, path) => {
    const parsed = parsePortalToConsoleMessage(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.path).toBe(path);
  });

  it("the portal refuses a connect (only the portal sends those)", () => {
    expect(parseConsoleToPortalMessage({ channel: "authbridge", v: 1, type: "connect", relayUrl: "ws://x", ticket }).ok).toBe(false);
  });

  it.each([null, "ready", [], { type: "ready" }])("refuses the non-envelope %p", (input) => {
    expect(parseConsoleToPortalMessage(input).ok).toBe(false);
    expect(parsePortalToConsoleMessage(input).ok).toBe(false);
  });
});
