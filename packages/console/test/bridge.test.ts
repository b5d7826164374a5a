import { describe, expect, it } from "vitest";
import {
  connect,
  connectedHarness,
  errorResponse,
  harness,
  okResponse,
  PORTAL,
  RELAY_URL,
  TICKET,
  tokenRequest,
  welcome,
} from "./fakes.js";

const HELLO = { v: 1, type: "hello", role: "browser", protocol: 1 };

describe("start and connect", () => {
  it("posts ready to the parent with the exact portal origin", () => {
    const h = harness();
    h.bridge.start();
    expect(h.posted).toEqual([{ message: { channel: "authbridge", v: 1, type: "ready" }, targetOrigin: PORTAL }]);
    expect(h.lastView().state).toBe("waiting");
  });

  it("opens the relay socket with the ticket as a sub-protocol and says hello on open", () => {
    const h = harness();
    h.bridge.start();
    h.fromPortal(connect());
    expect(h.lastView().state).toBe("connecting");
    expect(h.socket().url).toBe(RELAY_URL);
    expect(h.socket().protocols).toEqual(["authbridge.v1", `authbridge.ticket.${TICKET}`]);
    h.socket().open();
    expect(h.socket().sent).toEqual([HELLO]);
  });

  it("ignores a second connect while a socket is open", () => {
    const h = connectedHarness();
    h.fromPortal(connect("ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ"));
    expect(h.sockets).toHaveLength(1);
    expect(h.lastView().ignored).toBe(1);
  });
});

describe("state from relay frames", () => {
  it("is no-agent after a welcome without a peer, ready once the peer connects, and back", () => {
    const h = harness();
    h.bridge.start();
    h.fromPortal(connect());
    h.socket().open();
    h.socket().receive(welcome(false));
    expect(h.lastView().state).toBe("no-agent");
    h.socket().receive({ v: 1, type: "peer", state: "connected" });
    expect(h.lastView().state).toBe("ready");
    h.socket().receive({ v: 1, type: "peer", state: "disconnected" });
    expect(h.lastView().state).toBe("no-agent");
  });

  it("is ready straight away when the welcome says the peer is there", () => {
    expect(connectedHarness().lastView().state).toBe("ready");
  });

  it("counts frames it cannot parse and keeps its state", () => {
    const h = connectedHarness();
    h.socket().receive("not json");
    h.socket().receive({ v: 1, type: "peer", state: "maybe" });
    expect(h.lastView()).toMatchObject({ state: "ready", ignored: 2 });
  });

  it("shows a relay error frame as detail", () => {
    const h = connectedHarness();
    h.socket().receive({ v: 1, type: "error", code: "ProtocolError", message: "bad frame" });
    expect(h.lastView().detail).toBe("ProtocolError: bad frame");
  });
});

describe("token requests", () => {
  it("forwards a relay token.request to the parent as an envelope with the exact origin", () => {
    const h = connectedHarness();
    const deadline = h.clock.time + 30_000;
    h.socket().receive(tokenRequest("r1", deadline));
    expect(h.posted.at(-1)).toEqual({
      message: { channel: "authbridge", v: 1, type: "token.request", id: "r1", resource: "https://management.azure.com/", deadline },
      targetOrigin: PORTAL,
    });
    expect(h.lastView().requests).toEqual([
      { id: "r1", resource: "https://management.azure.com/", startedAt: h.clock.time, outcome: "pending" },
    ]);
  });

  it("sends the portal's answer to the relay as a token.response frame and records the outcome", () => {
    const h = connectedHarness();
    h.socket().receive(tokenRequest("r1", h.clock.time + 30_000));
    h.clock.advance(120);
    h.fromPortal(okResponse("r1"));
    const { channel: _channel, ...frame } = okResponse("r1");
    expect(h.socket().sent).toEqual([HELLO, frame]);
    expect(h.lastView().requests[0]).toMatchObject({ id: "r1", outcome: "ok", durationMs: 120 });
  });

  it("records an error answer by its code", () => {
    const h = connectedHarness();
    h.socket().receive(tokenRequest("r1", h.clock.time + 30_000));
    h.fromPortal(errorResponse("r1", "InteractionRequired"));
    expect(h.socket().sent.at(-1)).toEqual({
      v: 1,
      type: "token.response",
      id: "r1",
      ok: false,
      error: { code: "InteractionRequired", message: "refused" },
    });
    expect(h.lastView().requests[0]?.outcome).toBe("InteractionRequired");
  });

  it("drops a replayed response: each id is answered once", () => {
    const h = connectedHarness();
    h.socket().receive(tokenRequest("r1", h.clock.time + 30_000));
    h.fromPortal(okResponse("r1"));
    h.fromPortal(okResponse("r1"));
    h.fromPortal(errorResponse("r1"));
    expect(h.socket().sent).toHaveLength(2);
    expect(h.lastView().ignored).toBe(2);
    expect(h.lastView().requests[0]?.outcome).toBe("ok");
  });

  it("drops a response for an id the relay never sent", () => {
    const h = connectedHarness();
    h.fromPortal(okResponse("never-asked"));
    expect(h.socket().sent).toEqual([HELLO]);
    expect(h.lastView().ignored).toBe(1);
  });

  it("drops a late response and marks the request as timed out at its deadline", () => {
    const h = connectedHarness();
    h.socket().receive(tokenRequest("r1", h.clock.time + 1_000));
    h.clock.advance(1_000);
    expect(h.lastView().requests[0]?.outcome).toBe("pending");
    h.clock.advance(1);
    expect(h.lastView().requests[0]).toMatchObject({ outcome: "Timeout", durationMs: 1_001 });
    h.fromPortal(okResponse("r1"));
    expect(h.socket().sent).toEqual([HELLO]);
    expect(h.lastView().ignored).toBe(1);
  });

  it("still accepts an answer exactly at the deadline", () => {
    const h = connectedHarness();
    h.socket().receive(tokenRequest("r1", h.clock.time + 1_000));
    h.clock.advance(1_000);
    h.fromPortal(okResponse("r1"));
    expect(h.socket().sent).toHaveLength(2);
  });

  it("does not forward a request whose deadline has already passed", () => {
    const h = connectedHarness();
    const posts = h.posted.length;
    h.socket().receive(tokenRequest("r1", h.clock.time - 1));
    expect(h.posted).toHaveLength(posts);
    expect(h.lastView().requests[0]?.outcome).toBe("Timeout");
  });

  it("ignores a duplicate request id that is still pending", () => {
    const h = connectedHarness();
    h.socket().receive(tokenRequest("r1", h.clock.time + 30_000));
    const posts = h.posted.length;
    h.socket().receive(tokenRequest("r1", h.clock.time + 30_000));
    expect(h.posted).toHaveLength(posts);
    expect(h.lastView().requests).toHaveLength(1);
  });

  it("keeps concurrent requests apart", () => {
    const h = connectedHarness();
    h.socket().receive(tokenRequest("a", h.clock.time + 30_000, "https://graph.microsoft.com/"));
    h.socket().receive(tokenRequest("b", h.clock.time + 30_000));
    h.fromPortal(okResponse("b"));
    h.fromPortal(okResponse("a", "https://graph.microsoft.com/"));
    expect(h.socket().sent.slice(1)).toMatchObject([{ id: "b" }, { id: "a" }]);
    expect(h.lastView().requests.map((r) => [r.id, r.outcome])).toEqual([
      ["a", "ok"],
      ["b", "ok"],
    ]);
  });

  it("lists requests oldest first and keeps the last 100", () => {
    const h = connectedHarness();
    for (let i = 0; i < 105; i += 1) h.socket().receive(tokenRequest(`r${i}`, h.clock.time + 30_000));
    const ids = h.lastView().requests.map((r) => r.id);
    expect(ids).toHaveLength(100);
    expect([ids[0], ids.at(-1)]).toEqual(["r5", "r104"]);
  });

  it("never puts the token into the view", () => {
    const h = connectedHarness();
    h.socket().receive(tokenRequest("r1", h.clock.time + 30_000));
    h.fromPortal(okResponse("r1"));
    expect(JSON.stringify(h.views)).not.toContain("eyJ.secret.token");
  });
});

describe("socket close", () => {
  it("ends for good on 4000: no ready, no reconnect, later connects ignored", () => {
    const h = connectedHarness();
    const posts = h.posted.length;
    h.socket().closeFromRelay(4000);
    expect(h.lastView().state).toBe("ended");
    h.clock.advance(60_000);
    expect(h.posted).toHaveLength(posts);
    h.fromPortal(connect());
    expect(h.sockets).toHaveLength(1);
  });

  it("fails pending requests when the socket closes and drops their late answers", () => {
    const h = connectedHarness();
    h.socket().receive(tokenRequest("r1", h.clock.time + 30_000));
    const old = h.socket();
    old.closeFromRelay(1006);
    expect(h.lastView().requests[0]?.outcome).toBe("BrowserDisconnected");
    h.fromPortal(okResponse("r1"));
    expect(old.sent).toEqual([HELLO]);
  });

  it("is disconnected on other codes and posts ready again after 1 s, 2 s, 4 s … at most 10 s", () => {
    const h = connectedHarness();
    const readyTimes: number[] = [];
    const start = h.clock.time;
    const countReady = () => h.posted.filter((p) => p.message.type === "ready").length;

    for (const expectedDelay of [1_000, 2_000, 4_000, 8_000, 10_000, 10_000]) {
      h.socket().closeFromRelay(1006);
      expect(h.lastView().state).toBe("disconnected");
      const before = countReady();
      h.clock.advance(expectedDelay - 1);
      expect(countReady()).toBe(before);
      h.clock.advance(1);
      expect(countReady()).toBe(before + 1);
      expect(h.posted.at(-1)?.targetOrigin).toBe(PORTAL);
      readyTimes.push(h.clock.time - start);
      // The portal answers with a fresh ticket; the handshake fails again.
      h.fromPortal(connect());
      expect(h.lastView().state).toBe("connecting");
    }
    expect(h.sockets).toHaveLength(7);
  });

  it("keeps posting ready with a growing delay until the portal sends a connect", () => {
    const h = connectedHarness();
    h.socket().closeFromRelay(1006);
    const readyAt: number[] = [];
    const start = h.clock.time;
    const before = h.posted.length;
    for (let elapsed = 0; elapsed <= 20_000; elapsed += 500) {
      h.clock.advance(500);
      if (h.posted.length > before + readyAt.length) readyAt.push(h.clock.time - start);
    }
    expect(readyAt).toEqual([1_000, 3_000, 7_000, 15_000]);
    h.fromPortal(connect());
    const posts = h.posted.length;
    h.clock.advance(60_000);
    expect(h.posted).toHaveLength(posts);
  });

  it("resets the backoff once a connection is welcomed", () => {
    const h = connectedHarness();
    h.socket().closeFromRelay(1006);
    h.clock.advance(1_000);
    h.fromPortal(connect());
    h.socket().closeFromRelay(1006); // second failure: 2 s
    h.clock.advance(2_000);
    h.fromPortal(connect());
    h.socket().open();
    h.socket().receive(welcome(true));
    const readies = h.posted.length;
    h.socket().closeFromRelay(1001);
    h.clock.advance(1_000);
    expect(h.posted).toHaveLength(readies + 1);
  });

  it("accepts a connect while disconnected and cancels the pending ready", () => {
    const h = connectedHarness();
    h.socket().closeFromRelay(1006);
    h.fromPortal(connect());
    const posts = h.posted.length;
    h.clock.advance(30_000);
    expect(h.posted).toHaveLength(posts);
    expect(h.sockets).toHaveLength(2);
  });

  it("ignores events from a socket that has been replaced", () => {
    const h = connectedHarness();
    const old = h.socket();
    old.closeFromRelay(1006);
    h.fromPortal(connect());
    old.receive({ v: 1, type: "peer", state: "connected" });
    old.closeFromRelay(4000);
    expect(h.lastView().state).toBe("connecting");
  });
});
