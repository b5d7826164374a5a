import { decodeTerminalFrame, encodeTerminalFrame } from "@authbridge/protocol";
import { describe, expect, it } from "vitest";
import { MAX_TERMINAL_BUFFERED_BYTES } from "../../src/sessions/session.js";
import type { FrameSocket } from "../helpers/frame-socket.js";
import { type TestRelay, testRelayPerTest } from "../helpers/relay.js";
import { anyString, matching } from "../helpers/matchers.js";

const relays = testRelayPerTest();
const relay = relays.start;

const RESOURCE = "https://management.azure.com/";
/** Deadlines are read against the relay's (fake) clock. */
const request = (id: string, deadlineIn = 30_000) => ({ v: 1, type: "token.request", id, resource: RESOURCE, deadline: (relays.current()?.clock.now() ?? 0) + deadlineIn });
const okResponse = (id: string) => ({
  v: 1,
  type: "token.response",
  id,
  ok: true,
  token: { accessToken: `token-for-${id}`, expiresOn: 1_900_000_000, tokenType: "Bearer", resource: RESOURCE },
});

/** A session with both sides attached and past hello. */
async function paired(r: TestRelay): Promise<{ sessionId: string; agent: FrameSocket; browser: FrameSocket }> {
  const { sessionId, ticket } = await r.createSession();
  const agent = await r.agent(sessionId);
  const browser = await r.browser(ticket);
  expect(await agent.next()).toEqual({ v: 1, type: "peer", state: "connected" });
  return { sessionId, agent, browser };
}

describe("pairing", () => {
  it("welcomes each side with the session id and whether its peer is there, and tells the other side", async () => {
    const r = await relay();
    const { sessionId, ticket } = await r.createSession();
    const agent = await r.agent(sessionId, { hello: false });
    agent.hello("agent");
    expect(await agent.next()).toEqual({ v: 1, type: "welcome", sessionId, peer: false });
    const browser = await r.browser(ticket, { hello: false });
    browser.hello("browser");
    expect(await browser.next()).toEqual({ v: 1, type: "welcome", sessionId, peer: true });
    expect(await agent.next()).toEqual({ v: 1, type: "peer", state: "connected" });
    expect((await r.api("GET", `/api/sessions/${sessionId}`, { token: await r.token() })).body).toMatchObject({ agent: true, browser: true });

    browser.close();
    expect(await agent.next()).toEqual({ v: 1, type: "peer", state: "disconnected" });
  });

  it("tells the browser when the agent comes and goes", async () => {
    const r = await relay();
    const { sessionId, ticket } = await r.createSession();
    const browser = await r.browser(ticket, { hello: false });
    browser.hello("browser");
    expect(await browser.next()).toMatchObject({ type: "welcome", peer: false });
    const agent = await r.agent(sessionId);
    expect(await browser.next()).toEqual({ v: 1, type: "peer", state: "connected" });
    agent.close();
    expect(await browser.next()).toEqual({ v: 1, type: "peer", state: "disconnected" });
  });
});

describe("forwarding", () => {
  it("carries requests to the browser and responses back, correlated by id", async () => {
    const r = await relay();
    const { agent, browser } = await paired(r);
    const first = request("req-1");
    const second = request("req-2");
    agent.send(first);
    agent.send(second);
    expect(await browser.next()).toEqual(first);
    expect(await browser.next()).toEqual(second);
    browser.send(okResponse("req-2"));
    browser.send({ v: 1, type: "token.response", id: "req-1", ok: false, error: { code: "InteractionRequired", message: "click in the portal" } });
    expect(await agent.next()).toEqual(okResponse("req-2"));
    expect(await agent.next()).toEqual({ v: 1, type: "token.response", id: "req-1", ok: false, error: { code: "InteractionRequired", message: "click in the portal" } });
  });

  it("answers BrowserNotConnected at once when no browser is attached", async () => {
    const r = await relay();
    const { sessionId } = await r.createSession();
    const agent = await r.agent(sessionId);
    agent.send(request("req-1"));
    expect(await agent.next()).toEqual({ v: 1, type: "error", code: "BrowserNotConnected", message: anyString, id: "req-1" });
  });

  it("answers Timeout at the deadline and drops a later response", async () => {
    const r = await relay();
    const { agent, browser } = await paired(r);
    const started = Date.now();
    agent.send(request("slow", 300));
    expect(await browser.next()).toMatchObject({ id: "slow" });
    expect(await agent.next()).toEqual({ v: 1, type: "error", code: "Timeout", message: anyString, id: "slow" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    browser.send(okResponse("slow"));
    // A probe on the same socket: its answer comes after whatever the late response caused.
    browser.send(okResponse("probe"));
    expect(await browser.next()).toMatchObject({ code: "UnknownRequest", id: "probe" });
    agent.send(request("after"));
    expect(await browser.next()).toMatchObject({ id: "after" });
    expect(agent.frames).toEqual([]);
  });

  it("answers Timeout at once for a deadline that has passed", async () => {
    const r = await relay();
    const { agent, browser } = await paired(r);
    agent.send(request("late", -1));
    expect(await agent.next()).toMatchObject({ type: "error", code: "Timeout", id: "late" });
    expect(browser.frames).toEqual([]);
  });

  it("answers BrowserDisconnected for every pending request when the browser leaves", async () => {
    const r = await relay();
    const { agent, browser } = await paired(r);
    agent.send(request("a"));
    agent.send(request("b"));
    await browser.next();
    await browser.next();
    browser.close();
    const frames = [await agent.next(), await agent.next(), await agent.next()];
    expect(frames).toEqual(
      expect.arrayContaining([
        { v: 1, type: "error", code: "BrowserDisconnected", message: anyString, id: "a" },
        { v: 1, type: "error", code: "BrowserDisconnected", message: anyString, id: "b" },
        { v: 1, type: "peer", state: "disconnected" },
      ]),
    );
  });

  it("answers UnknownRequest to the browser for a response nobody asked for, and tells the agent nothing", async () => {
    const r = await relay();
    const { agent, browser } = await paired(r);
    browser.send(okResponse("never-sent"));
    expect(await browser.next()).toEqual({ v: 1, type: "error", code: "UnknownRequest", message: anyString, id: "never-sent" });
    agent.send(request("real"));
    expect(await browser.next()).toMatchObject({ id: "real" });
    expect(agent.frames).toEqual([]);
  });

  it("answers a response only once", async () => {
    const r = await relay();
    const { agent, browser } = await paired(r);
    agent.send(request("once"));
    await browser.next();
    browser.send(okResponse("once"));
    expect(await agent.next()).toMatchObject({ id: "once", ok: true });
    browser.send(okResponse("once"));
    expect(await browser.next()).toMatchObject({ code: "UnknownRequest", id: "once" });
  });

  it("refuses a request id that is already pending", async () => {
    const r = await relay();
    const { agent, browser } = await paired(r);
    agent.send(request("dup"));
    await browser.next();
    agent.send(request("dup"));
    expect(await agent.next()).toMatchObject({ type: "error", code: "ProtocolError", id: "dup" });
  });
});

describe("invalid frames", () => {
  it("answers ProtocolError naming the failing path", async () => {
    const r = await relay();
    const { agent, browser } = await paired(r);
    agent.send({ ...request("x"), resource: "has spaces in it" });
    expect(await agent.next()).toEqual({ v: 1, type: "error", code: "ProtocolError", message: matching(/^invalid frame: resource: /) });
    agent.send("{not json");
    expect(await agent.next()).toMatchObject({ code: "ProtocolError", message: "invalid frame: not valid JSON" });
    browser.send(request("wrong-side"));
    expect(await browser.next()).toMatchObject({ code: "ProtocolError", message: matching(/^invalid frame: type/) });
  });

  it("refuses anything before hello", async () => {
    const r = await relay();
    const { sessionId } = await r.createSession();
    const agent = await r.agent(sessionId, { hello: false });
    agent.send(request("early"));
    expect(await agent.next()).toEqual({ v: 1, type: "error", code: "ProtocolError", message: "send hello before token.request", id: "early" });
  });

  it("refuses a hello with the other side's role, and a second hello", async () => {
    const r = await relay();
    const { sessionId } = await r.createSession();
    const agent = await r.agent(sessionId, { hello: false });
    agent.hello("browser");
    expect(await agent.next()).toMatchObject({ code: "ProtocolError", message: 'this is the agent socket; hello must have role "agent"' });
    agent.hello("agent");
    expect(await agent.next()).toMatchObject({ type: "welcome" });
    agent.hello("agent");
    expect(await agent.next()).toMatchObject({ code: "ProtocolError", message: "hello was already received" });
  });

  it("forwards terminal frames each side may send, byte for byte", async () => {
    const r = await relay();
    const { agent, browser } = await paired(r);
    const output = encodeTerminalFrame({ kind: "data", data: new TextEncoder().encode("$ ") });
    agent.ws.send(output, { binary: true });
    expect(Array.from(await browser.nextBinary())).toEqual(Array.from(output));
    const frames = [
      encodeTerminalFrame({ kind: "resize", cols: 100, rows: 30 }),
      encodeTerminalFrame({ kind: "data", data: new TextEncoder().encode("ls\r") }),
      encodeTerminalFrame({ kind: "ack", bytes: 2 }),
    ];
    for (const frame of frames) browser.ws.send(frame, { binary: true });
    for (const frame of frames) expect(Array.from(await agent.nextBinary())).toEqual(Array.from(frame));
    agent.ws.send(encodeTerminalFrame({ kind: "exit", code: 0 }), { binary: true });
    expect(decodeTerminalFrame(await browser.nextBinary())).toEqual({ ok: true, value: { kind: "exit", code: 0 } });
  });

  it("refuses binary frames of kinds the sender may not send, and JSON sent as binary", async () => {
    const r = await relay();
    const { agent, browser } = await paired(r);
    agent.ws.send(Buffer.from(JSON.stringify(request("bin"))), { binary: true });
    expect(await agent.next()).toMatchObject({ code: "ProtocolError", message: matching(/terminal frame kind 123/) });
    agent.ws.send(encodeTerminalFrame({ kind: "resize", cols: 80, rows: 24 }), { binary: true });
    expect(await agent.next()).toMatchObject({ code: "ProtocolError", message: matching(/agent may not send terminal frame kind 2/) });
    browser.ws.send(encodeTerminalFrame({ kind: "exit", code: 1 }), { binary: true });
    expect(await browser.next()).toMatchObject({ code: "ProtocolError", message: matching(/browser may not send terminal frame kind 3/) });
    expect(agent.binary).toEqual([]);
    expect(browser.binary).toEqual([]);
  });

  it("drops terminal data for a browser that stops reading instead of buffering it without bound", async () => {
    const r = await relay({ maxPayload: 64 * 1024 });
    const { agent, browser } = await paired(r);
    // The browser stops reading: the relay's socket to it backs up (TCP buffers first, then ws's queue).
    browser.ws.pause();
    const frame = encodeTerminalFrame({ kind: "data", data: new Uint8Array(16 * 1024).fill(121) });
    const frames = 1600; // 25 MiB, from an agent that ignores flow control
    for (let i = 0; i < frames; i += 1) agent.ws.send(frame, { binary: true });
    await new Promise<void>((resolve) => agent.ws.send(encodeTerminalFrame({ kind: "data", data: Uint8Array.of(46) }), { binary: true }, () => resolve()));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    browser.ws.resume();
    // What the browser gets is bounded by the relay's cap plus the kernel's socket buffers, far below what was sent.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const received = browser.binary.reduce((sum, bytes) => sum + bytes.byteLength, 0);
    console.info(`[relay cap] agent sent ${frames * frame.byteLength} B to a paused browser; it received ${received} B`);
    expect(received).toBeGreaterThan(MAX_TERMINAL_BUFFERED_BYTES);
    expect(received).toBeLessThan(frames * frame.byteLength / 2);
    // Token frames still pass.
    agent.send(request("after-flood"));
    expect(await browser.next()).toMatchObject({ type: "token.request", id: "after-flood" });
  });

  it("refuses terminal frames before hello", async () => {
    const r = await relay();
    const { sessionId } = await r.createSession();
    const agent = await r.agent(sessionId, { hello: false });
    agent.ws.send(encodeTerminalFrame({ kind: "data", data: Uint8Array.of(65) }), { binary: true });
    expect(await agent.next()).toMatchObject({ code: "ProtocolError", message: "send hello before terminal frames" });
  });

  it("closes with 1009 a frame larger than maxPayload", async () => {
    const r = await relay({ maxPayload: 1024 });
    const { agent, browser } = await paired(r);
    agent.send({ ...request("big"), resource: `https://x/${"a".repeat(2000)}` });
    expect((await agent.waitClosed()).code).toBe(1009);
    expect(await browser.next()).toEqual({ v: 1, type: "peer", state: "disconnected" });
  });

  it("closes with 1008 after more than 10 invalid frames", async () => {
    const r = await relay();
    const { agent } = await paired(r);
    for (let i = 0; i < 10; i += 1) agent.send("garbage");
    for (let i = 0; i < 10; i += 1) expect(await agent.next()).toMatchObject({ code: "ProtocolError" });
    expect(agent.ws.readyState).toBe(agent.ws.OPEN);
    agent.send("garbage");
    expect(await agent.waitClosed()).toEqual({ code: 1008, reason: "too many invalid frames" });
  });
});

describe("heartbeat", () => {
  it("terminates a side that stops answering pings and tells its peer", async () => {
    const r = await relay({ pingIntervalMs: 100 });
    const { sessionId, ticket } = await r.createSession();
    const agent = await r.agent(sessionId);
    const browser = await r.browser(ticket, { autoPong: false });
    expect(await agent.next()).toEqual({ v: 1, type: "peer", state: "connected" });
    expect((await browser.waitClosed()).code).toBe(1006);
    expect(await agent.next()).toEqual({ v: 1, type: "peer", state: "disconnected" });
    // The live side stays.
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(agent.ws.readyState).toBe(agent.ws.OPEN);
  });
});

describe("teardown", () => {
  it("DELETE closes both sides with 4000 and stops the endpoint", async () => {
    const r = await relay();
    const { sessionId, agent, browser } = await paired(r);
    const response = await r.api("DELETE", `/api/sessions/${sessionId}`, { token: await r.token() });
    expect(response.status).toBe(204);
    expect(await agent.waitClosed()).toEqual({ code: 4000, reason: "session ended" });
    expect(await browser.waitClosed()).toEqual({ code: 4000, reason: "session ended" });
    expect(r.launcher.stopped).toEqual([sessionId]);
    expect(r.relay.sessionCount()).toBe(0);
  });

  it("the endpoint exiting ends the session and its tickets", async () => {
    const r = await relay();
    const { sessionId, agent, browser } = await paired(r);
    const spare = await r.newTicket(sessionId);
    r.launcher.exit(sessionId, 0);
    expect(await agent.waitClosed()).toEqual({ code: 4000, reason: "session ended" });
    expect(await browser.waitClosed()).toEqual({ code: 4000, reason: "session ended" });
    expect(r.relay.sessionCount()).toBe(0);
    expect((await r.refuseBrowser([`authbridge.v1`, `authbridge.ticket.${spare}`], "http://127.0.0.1:5173")).status).toBe(401);
  });

  it("a session without a browser for sessionIdleMs ends", async () => {
    const r = await relay({ sessionIdleMs: 200 });
    const { sessionId, ticket } = await r.createSession();
    const agent = await r.agent(sessionId);
    const browser = await r.browser(ticket);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(r.relay.sessionCount()).toBe(1);
    browser.close();
    expect(await agent.waitClosed()).toEqual({ code: 4000, reason: "session ended" });
    expect(r.launcher.stopped).toEqual([sessionId]);
  });

  it("closing the relay closes sockets with 1001 and stops every endpoint", async () => {
    const r = await relay();
    const { sessionId, agent, browser } = await paired(r);
    await r.relay.close();
    expect((await agent.waitClosed()).code).toBe(1001);
    expect((await browser.waitClosed()).code).toBe(1001);
    expect(r.launcher.stopped).toEqual([sessionId]);
    expect(r.relay.sessionCount()).toBe(0);
  });
});
