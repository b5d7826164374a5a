import { AuthbridgeError, encodeFrame } from "@authbridge/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { createRelayAgent, type RelayAgent, type RelayAgentOptions } from "../../src/index.js";
import { MESSAGES } from "../../src/messages.js";
import { createFakeClock } from "../helpers/fake-clock.js";
import { okResponse, startFakeRelay, type FakeRelay, type FakeRelayOptions } from "../helpers/fake-relay.js";

const ARM = "https://management.azure.com/";
const AGENT_TOKEN = "agent-secret-token";

async function rejection(promise: Promise<unknown>): Promise<AuthbridgeError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AuthbridgeError) return error;
    throw error;
  }
  throw new Error("expected a rejection");
}

describe("relay agent", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setUp(relayOptions: FakeRelayOptions = {}, agentOptions: Partial<RelayAgentOptions> = {}): Promise<{ relay: FakeRelay; agent: RelayAgent }> {
    const relay = await startFakeRelay(relayOptions);
    cleanups.push(() => relay.close());
    const agent = createRelayAgent({
      url: relay.url,
      sessionId: "session-1",
      agentToken: AGENT_TOKEN,
      requestTimeoutMs: 2_000,
      reconnect: { initialDelayMs: 10, maxDelayMs: 40 },
      ...agentOptions,
    });
    cleanups.push(() => agent.close());
    agent.start();
    return { relay, agent };
  }

  it("authenticates with its token and session, offers authbridge.v1, says hello and tracks the welcome", async () => {
    const { relay, agent } = await setUp({ peer: true });
    await expect.poll(() => agent.status()).toEqual({ relay: "connected", browser: true });
    expect(relay.handshakes[0]).toMatchObject({ authorization: `Bearer ${AGENT_TOKEN}`, "x-authbridge-session": "session-1" });
    expect(relay.protocols[0]).toEqual(["authbridge.v1"]);
    expect(relay.frames[0]).toEqual({ v: 1, type: "hello", role: "agent", protocol: 1 });
    expect(relay.invalid).toEqual([]);
  });

  it("sends token.request with a random id and a deadline, and resolves with the browser's token", async () => {
    const clock = createFakeClock(1_700_000_000_000);
    const { relay, agent } = await setUp({ answer: (request) => okResponse(request, { expiresOn: 1_700_003_600 }) }, { clock });
    await expect.poll(() => agent.status().browser).toBe(true);
    const token = await agent.requestToken(ARM);
    expect(token).toEqual({ accessToken: "eyJ.fake.token", expiresOn: 1_700_003_600, tokenType: "Bearer", resource: ARM });
    await agent.requestToken(ARM);
    const [first, second] = relay.tokenRequests;
    expect(first).toMatchObject({ v: 1, type: "token.request", resource: ARM, deadline: 1_700_000_002_000 });
    expect(first?.id).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(first?.id).not.toBe(second?.id);
    expect(agent.pendingCount).toBe(0);
  });

  it("fails with BrowserNotConnected at once when no browser is attached, and serves once one arrives", async () => {
    const { relay, agent } = await setUp({ peer: false, answer: (request) => okResponse(request, { expiresOn: 1_700_003_600 }) });
    await expect.poll(() => agent.status()).toEqual({ relay: "connected", browser: false });
    const started = Date.now();
    const error = await rejection(agent.requestToken(ARM));
    expect([error.code, error.status, error.message]).toEqual(["BrowserNotConnected", 503, MESSAGES.BrowserNotConnected]);
    expect(Date.now() - started).toBeLessThan(100);
    expect(relay.tokenRequests).toEqual([]);

    relay.setPeer(true);
    await expect.poll(() => agent.status().browser).toBe(true);
    await expect(agent.requestToken(ARM)).resolves.toMatchObject({ resource: ARM });
  });

  it("fails with RelayUnavailable at once while not connected", async () => {
    const agent = createRelayAgent({ url: "ws://127.0.0.1:9/ws/agent", sessionId: "s", agentToken: AGENT_TOKEN });
    const error = await rejection(agent.requestToken(ARM));
    expect([error.code, error.status]).toEqual(["RelayUnavailable", 503]);
    await agent.close();
  });

  it("fails with Timeout (504) at the deadline and drops the late answer", async () => {
    const { relay, agent } = await setUp({}, { requestTimeoutMs: 80 });
    await expect.poll(() => agent.status().browser).toBe(true);
    const started = Date.now();
    const error = await rejection(agent.requestToken(ARM));
    expect(Date.now() - started).toBeGreaterThanOrEqual(70);
    expect([error.code, error.status]).toEqual(["Timeout", 504]);
    expect(error.message).toContain("0.1 s");
    expect(agent.pendingCount).toBe(0);

    const late = relay.tokenRequests[0];
    if (late === undefined) throw new Error("no request seen");
    relay.send(okResponse(late, { expiresOn: 1_700_003_600 }));
    relay.setAnswer((request) => okResponse(request, { expiresOn: 1_700_003_600 }));
    await expect(agent.requestToken(ARM)).resolves.toMatchObject({ resource: ARM });
  });

  it("fails pending requests with BrowserDisconnected when the browser leaves", async () => {
    const { relay, agent } = await setUp();
    await expect.poll(() => agent.status().browser).toBe(true);
    const pending = rejection(agent.requestToken(ARM));
    await expect.poll(() => relay.tokenRequests.length).toBe(1);
    relay.setPeer(false);
    const error = await pending;
    expect([error.code, error.status]).toEqual(["BrowserDisconnected", 503]);
    expect(agent.status()).toEqual({ relay: "connected", browser: false });
  });

  it("turns a token.response error into an AuthbridgeError with the browser's code", async () => {
    const { agent, relay } = await setUp({
      answer: (request) => ({
        v: 1,
        type: "token.response",
        id: request.id,
        ok: false,
        error: request.resource === ARM ? { code: "InteractionRequired", message: "interaction_required" } : { code: "invalid_resource", message: "AADSTS500011: not found" },
      }),
    });
    await expect.poll(() => agent.status().browser).toBe(true);
    const interaction = await rejection(agent.requestToken(ARM));
    expect([interaction.code, interaction.status, interaction.message]).toEqual(["InteractionRequired", 401, MESSAGES.InteractionRequired]);
    const aad = await rejection(agent.requestToken("https://graph.microsoft.com/"));
    expect([aad.code, aad.status, aad.message]).toEqual(["invalid_resource", 400, "AADSTS500011: not found"]);
    expect(relay.invalid).toEqual([]);
  });

  it("fails a request the relay reports an error frame for, with that code", async () => {
    const { agent } = await setUp({ answer: (request) => ({ v: 1, type: "error", code: "BrowserNotConnected", message: "gone", id: request.id }) });
    await expect.poll(() => agent.status().browser).toBe(true);
    const error = await rejection(agent.requestToken(ARM));
    expect([error.code, error.status]).toEqual(["BrowserNotConnected", 503]);
  });

  it("drops bad frames and keeps working", async () => {
    const { relay, agent } = await setUp({ answer: (request) => okResponse(request, { expiresOn: 1_700_003_600 }) });
    await expect.poll(() => agent.status().browser).toBe(true);
    relay.send("not json");
    relay.send('{"v":1,"type":"welcome"}');
    relay.send('{"v":2,"type":"peer","state":"disconnected"}');
    relay.send(encodeFrame({ v: 1, type: "token.response", id: "unknown-id", ok: true, token: { accessToken: "x", expiresOn: 1, tokenType: "Bearer", resource: ARM } }));
    relay.agent()?.send(Buffer.from([1, 2, 3]), { binary: true });
    relay.send(encodeFrame({ v: 1, type: "token.request", id: "abc", resource: ARM, deadline: 1 }));
    await expect(agent.requestToken(ARM)).resolves.toMatchObject({ resource: ARM });
    expect(agent.status()).toEqual({ relay: "connected", browser: true });
  });

  it("reconnects after the relay drops it, failing what was pending with RelayUnavailable", async () => {
    const statuses: string[] = [];
    const { relay, agent } = await setUp({}, { onStatus: (status) => statuses.push(status.relay) });
    await expect.poll(() => agent.status().relay).toBe("connected");
    const pending = rejection(agent.requestToken(ARM));
    await expect.poll(() => relay.tokenRequests.length).toBe(1);
    relay.dropAgent();
    expect((await pending).code).toBe("RelayUnavailable");
    await expect.poll(() => relay.handshakes.length).toBe(2);
    await expect.poll(() => agent.status()).toEqual({ relay: "connected", browser: true });
    expect(statuses).toEqual(["connected", "disconnected", "connecting", "connected"]);
  });

  it("stops for good when the relay ends the session with 4000", async () => {
    let ended = 0;
    const { relay, agent } = await setUp({}, { onSessionEnded: () => (ended += 1) });
    await expect.poll(() => agent.status().relay).toBe("connected");
    relay.endSession();
    await expect.poll(() => agent.status()).toEqual({ relay: "ended", browser: false });
    expect(ended).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(relay.handshakes).toHaveLength(1);
    const error = await rejection(agent.requestToken(ARM));
    expect([error.code, error.message]).toEqual(["RelayUnavailable", MESSAGES.SessionEnded]);
  });

  it("ends when the relay refuses its reconnect with 401 (the session is gone, e.g. a relay restarted without state)", async () => {
    let ended = 0;
    const { relay, agent } = await setUp({}, { onSessionEnded: () => (ended += 1) });
    await expect.poll(() => agent.status().relay).toBe("connected");
    relay.refuseWith(401);
    relay.dropAgent();
    await expect.poll(() => agent.status()).toEqual({ relay: "ended", browser: false });
    expect([ended, relay.refused]).toEqual([1, 1]);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(relay.refused).toBe(1);
    const error = await rejection(agent.requestToken(ARM));
    expect([error.code, error.message]).toEqual(["RelayUnavailable", MESSAGES.SessionEnded]);
  });

  it("keeps retrying through other refusals (a relay still starting, a stale agent socket) and connects once accepted", async () => {
    const { relay, agent } = await setUp();
    await expect.poll(() => agent.status().relay).toBe("connected");
    relay.refuseWith(503);
    relay.dropAgent();
    await expect.poll(() => relay.refused, { timeout: 5_000 }).toBeGreaterThanOrEqual(2);
    expect(agent.status().relay).not.toBe("ended");
    relay.refuseWith(409);
    const refusedBefore = relay.refused;
    await expect.poll(() => relay.refused, { timeout: 5_000 }).toBeGreaterThan(refusedBefore);
    relay.refuseWith(undefined);
    await expect.poll(() => agent.status(), { timeout: 5_000 }).toEqual({ relay: "connected", browser: true });
  });

  it("close() fails pending requests with ShuttingDown and does not reconnect", async () => {
    const { relay, agent } = await setUp();
    await expect.poll(() => agent.status().browser).toBe(true);
    const pending = rejection(agent.requestToken(ARM));
    await expect.poll(() => relay.tokenRequests.length).toBe(1);
    await agent.close();
    expect((await pending).code).toBe("ShuttingDown");
    expect(agent.status().relay).toBe("closed");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(relay.handshakes).toHaveLength(1);
  });

  it("refuses a relay URL that is not ws:// or wss://", () => {
    expect(() => createRelayAgent({ url: "http://127.0.0.1/ws/agent", sessionId: "s", agentToken: "t" })).toThrow(TypeError);
  });
});
