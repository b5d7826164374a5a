import { describe, expect, it } from "vitest";
import { guardPortalMessage } from "../src/message-guard.js";
import { connect, connectedHarness, okResponse, PORTAL, tokenRequest } from "./fakes.js";

describe("guardPortalMessage", () => {
  const parent = {};
  const expected = { origin: PORTAL, source: parent };

  it("accepts a connect from the portal window at the portal origin", () => {
    const verdict = guardPortalMessage({ origin: PORTAL, source: parent, data: connect() }, expected);
    expect(verdict).toEqual({ accepted: true, message: connect() });
  });

  it("refuses a foreign origin", () => {
    expect(guardPortalMessage({ origin: "http://evil.example", source: parent, data: connect() }, expected)).toEqual({
      accepted: false,
      reason: "origin",
    });
  });

  it("refuses an origin that only looks like the portal's", () => {
    for (const origin of [`${PORTAL}/`, "http://localhost:40000", "https://localhost:4000", "null"]) {
      expect(guardPortalMessage({ origin, source: parent, data: connect() }, expected).accepted).toBe(false);
    }
  });

  it("refuses the right origin from another window", () => {
    expect(guardPortalMessage({ origin: PORTAL, source: {}, data: connect() }, expected)).toEqual({ accepted: false, reason: "source" });
    expect(guardPortalMessage({ origin: PORTAL, source: null, data: connect() }, expected)).toEqual({ accepted: false, reason: "source" });
  });

  it("refuses everything when there is no parent window to expect", () => {
    expect(guardPortalMessage({ origin: PORTAL, source: null, data: connect() }, { origin: PORTAL, source: null }).accepted).toBe(false);
  });

  it.each([
    ["a string", JSON.stringify(connect())],
    ["another channel", { ...connect(), channel: "msal" }],
    ["another version", { ...connect(), v: 2 }],
    ["a console-bound type", { channel: "authbridge", v: 1, type: "ready" }],
    ["an http relay URL", { ...connect(), relayUrl: "http://127.0.0.1/ws" }],
  ])("refuses a malformed message: %s", (_label, data) => {
    expect(guardPortalMessage({ origin: PORTAL, source: parent, data }, expected)).toEqual({ accepted: false, reason: "malformed" });
  });
});

describe("the console ignores what it should not trust", () => {
  it("counts a foreign-origin connect as ignored and opens nothing", () => {
    const h = connectedHarness();
    const before = h.sockets.length;
    h.bridge.handleMessage({ origin: "http://evil.example", source: h.parent, data: connect() });
    expect(h.sockets.length).toBe(before);
    expect(h.lastView().ignored).toBe(1);
  });

  it("does not forward a response that comes from the right origin but another window", () => {
    const h = connectedHarness();
    h.socket().receive(tokenRequest("r1", h.clock.time + 30_000));
    h.bridge.handleMessage({ origin: PORTAL, source: {}, data: okResponse("r1") });
    expect(h.socket().sent).toHaveLength(1); // only hello
    expect(h.lastView().ignored).toBe(1);
    // The real portal can still answer.
    h.fromPortal(okResponse("r1"));
    expect(h.socket().sent).toHaveLength(2);
  });

  it("ignores malformed messages", () => {
    const h = connectedHarness();
    h.fromPortal({ channel: "authbridge", v: 1, type: "token.response", id: "r1", ok: true });
    h.fromPortal("hello");
    h.fromPortal(null);
    expect(h.lastView().ignored).toBe(3);
  });
});
