import { describe, expect, it } from "vitest";
import { guardConsoleMessage } from "../src/message-guard.js";

const CONSOLE = "http://127.0.0.1:5174";
const ready = { channel: "authbridge", v: 1, type: "ready" };
const request = { channel: "authbridge", v: 1, type: "token.request", id: "r1", resource: "https://management.azure.com/", deadline: 1 };

describe("guardConsoleMessage", () => {
  const iframeWindow = {};
  const expected = { origin: CONSOLE, source: iframeWindow };

  it("accepts ready and token.request from the console iframe at the console origin", () => {
    expect(guardConsoleMessage({ origin: CONSOLE, source: iframeWindow, data: ready }, expected)).toEqual({ accepted: true, message: ready });
    expect(guardConsoleMessage({ origin: CONSOLE, source: iframeWindow, data: request }, expected)).toEqual({ accepted: true, message: request });
  });

  it.each(["http://localhost:5174", "http://127.0.0.1:5175", "https://127.0.0.1:5174", `${CONSOLE}/`, "null"])("refuses the origin %s", (origin) => {
    expect(guardConsoleMessage({ origin, source: iframeWindow, data: ready }, expected)).toEqual({ accepted: false, reason: "origin" });
  });

  it("refuses the console origin from another window (an old iframe, a popup, the page itself)", () => {
    expect(guardConsoleMessage({ origin: CONSOLE, source: {}, data: ready }, expected)).toEqual({ accepted: false, reason: "source" });
    expect(guardConsoleMessage({ origin: CONSOLE, source: null, data: ready }, expected)).toEqual({ accepted: false, reason: "source" });
  });

  it("refuses everything while there is no console iframe", () => {
    expect(guardConsoleMessage({ origin: CONSOLE, source: null, data: ready }, { origin: CONSOLE, source: null })).toEqual({
      accepted: false,
      reason: "source",
    });
  });

  it.each([
    ["a JSON string", JSON.stringify(ready)],
    ["another channel", { ...ready, channel: "msal" }],
    ["a portal-bound connect", { channel: "authbridge", v: 1, type: "connect", relayUrl: "ws://x", ticket: "AbCdEfGhIjKlMnOpQrStUvWxYz012345" }],
    ["a request without a deadline", { ...request, deadline: undefined }],
    ["a request with a spaced resource", { ...request, resource: "https://a b" }],
  ])("refuses %s", (_label, data) => {
    expect(guardConsoleMessage({ origin: CONSOLE, source: iframeWindow, data }, expected)).toEqual({ accepted: false, reason: "malformed" });
  });
});
