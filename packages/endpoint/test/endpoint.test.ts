import { afterEach, describe, expect, it } from "vitest";
import { startEndpoint, type Endpoint, type EndpointOptions } from "../src/index.js";
import { MESSAGES } from "../src/messages.js";
import { startFakeRelay, okResponse, type FakeRelay, type FakeRelayOptions } from "./helpers/fake-relay.js";
import { httpRequest, tokenPost } from "./helpers/http-client.js";
import { captureLogs, type LogCapture } from "./helpers/log-capture.js";
import { deferred } from "./helpers/tokens.js";
import type { RelayFrame } from "@authbridge/protocol";

const ARM = "https://management.azure.com/";
const ACCESS_TOKEN = "eyJhbGciOiJSUzI1NiJ9.secret-access-token.sig";
const AGENT_TOKEN = "agent-token-do-not-log";

describe("startEndpoint", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setUp(relayOptions: FakeRelayOptions = {}, options: Partial<EndpointOptions> = {}): Promise<{ relay: FakeRelay; endpoint: Endpoint; logs: LogCapture }> {
    const relay = await startFakeRelay({
      answer: (request) => okResponse(request, { accessToken: ACCESS_TOKEN, expiresOn: Math.floor(Date.now() / 1000) + 3600 }),
      ...relayOptions,
    });
    cleanups.push(() => relay.close());
    const logs = captureLogs();
    const endpoint = await startEndpoint({
      port: 0,
      relayUrl: relay.url,
      sessionId: "session-1",
      agentToken: AGENT_TOKEN,
      logger: logs.logger,
      reconnect: { initialDelayMs: 10, maxDelayMs: 50 },
      ...options,
    });
    cleanups.push(() => endpoint.close());
    return { relay, endpoint, logs };
  }

  it("listens on 127.0.0.1 and serves a curl request end to end through the relay, then from cache", async () => {
    const { relay, endpoint, logs } = await setUp();
    expect(endpoint.url).toBe(`http://127.0.0.1:${endpoint.port}`);
    await expect.poll(async () => (await httpRequest(endpoint.port, { path: "/readyz" })).status).toBe(200);

    const reply = await tokenPost(endpoint.port, "resource=https://management.azure.com/");
    expect(reply.status).toBe(200);
    const body: unknown = JSON.parse(reply.text);
    expect(body).toMatchObject({ access_token: ACCESS_TOKEN, refresh_token: "", resource: ARM, token_type: "Bearer" });
    expect(reply.text).toMatch(
      /^\{"access_token":"[^"]+","refresh_token":"","expires_in":"\d+","expires_on":"\d+","not_before":"\d+","resource":"https:\/\/management\.azure\.com\/","token_type":"Bearer"\}$/,
    );

    expect((await tokenPost(endpoint.port, `resource=${ARM}`)).status).toBe(200);
    expect(relay.tokenRequests).toHaveLength(1);
    expect(relay.handshakes[0]).toMatchObject({ authorization: `Bearer ${AGENT_TOKEN}`, "x-authbridge-session": "session-1" });

    expect(logs.text()).toContain('"outcome":"ok"');
    expect(logs.text()).not.toContain(ACCESS_TOKEN);
    expect(logs.text()).not.toContain(AGENT_TOKEN);
  });

  it("refuses an audience outside its allowlist without touching the relay", async () => {
    const { relay, endpoint } = await setUp({}, { allowlist: ["https://custom.example/"] });
    await expect.poll(async () => (await httpRequest(endpoint.port, { path: "/readyz" })).status).toBe(200);
    const reply = await tokenPost(endpoint.port, `resource=${ARM}`);
    expect([reply.status, reply.text]).toEqual([
      400,
      '{"error":{"code":"AudienceNotSupported","message":"Audience https://management.azure.com/ is not a supported MSI token audience. Supported audiences: https://custom.example/"}}',
    ]);
    expect((await tokenPost(endpoint.port, "resource=https://custom.example")).status).toBe(200);
    expect(relay.tokenRequests.map((r) => r.resource)).toEqual(["https://custom.example"]);
  });

  it("answers 503 BrowserNotConnected within a second when no browser is attached", async () => {
    const { endpoint } = await setUp({ peer: false });
    await expect.poll(async () => (await httpRequest(endpoint.port, { path: "/readyz" })).text).toContain("BrowserNotConnected");
    const started = Date.now();
    const reply = await tokenPost(endpoint.port, `resource=${ARM}`);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect([reply.status, reply.text]).toEqual([503, JSON.stringify({ error: { code: "BrowserNotConnected", message: MESSAGES.BrowserNotConnected } })]);
  });

  it("answers 504 Timeout when the browser does not answer before the deadline", async () => {
    const { endpoint } = await setUp({ answer: () => undefined }, { requestTimeoutMs: 100 });
    await expect.poll(async () => (await httpRequest(endpoint.port, { path: "/readyz" })).status).toBe(200);
    const reply = await tokenPost(endpoint.port, `resource=${ARM}`);
    expect(reply.status).toBe(504);
    expect(JSON.parse(reply.text)).toMatchObject({ error: { code: "Timeout" } });
  });

  it("passes InteractionRequired through as 401 with a message telling the user to act", async () => {
    const { endpoint } = await setUp({
      answer: (request): RelayFrame => ({ v: 1, type: "token.response", id: request.id, ok: false, error: { code: "InteractionRequired", message: "AADSTS50076" } }),
    });
    await expect.poll(async () => (await httpRequest(endpoint.port, { path: "/readyz" })).status).toBe(200);
    const reply = await tokenPost(endpoint.port, `resource=${ARM}`);
    expect([reply.status, reply.text]).toEqual([
      401,
      '{"error":{"code":"InteractionRequired","message":"Azure AD needs you to act: open the authbridge portal tab and click Approve, then retry."}}',
    ]);
  });

  it("calls onSessionEnded when the relay closes with 4000", async () => {
    let ended = false;
    const { relay, endpoint } = await setUp({}, { onSessionEnded: () => (ended = true) });
    await expect.poll(async () => (await httpRequest(endpoint.port, { path: "/readyz" })).status).toBe(200);
    relay.endSession();
    await expect.poll(() => ended).toBe(true);
    const reply = await tokenPost(endpoint.port, `resource=${ARM}`);
    expect([reply.status, reply.text]).toEqual([503, JSON.stringify({ error: { code: "RelayUnavailable", message: MESSAGES.SessionEnded } })]);
  });

  it("closes gracefully: an in-flight request still gets its token, then the relay socket and the port close", async () => {
    const answer = deferred<RelayFrame>();
    const { relay, endpoint } = await setUp({ answer: () => answer.promise });
    await expect.poll(async () => (await httpRequest(endpoint.port, { path: "/readyz" })).status).toBe(200);
    const inFlight = tokenPost(endpoint.port, `resource=${ARM}`);
    await expect.poll(() => relay.tokenRequests.length).toBe(1);
    const request = relay.tokenRequests[0];
    if (request === undefined) throw new Error("no request");

    let closed = false;
    const closing = endpoint.close().then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toBe(false);
    answer.resolve(okResponse(request, { accessToken: ACCESS_TOKEN, expiresOn: Math.floor(Date.now() / 1000) + 3600 }));
    expect((await inFlight).status).toBe(200);
    await closing;
    await expect.poll(() => relay.agent()?.readyState).toBe(3);
    await expect(httpRequest(endpoint.port, { path: "/healthz" })).rejects.toThrow(/ECONNREFUSED/);
  });

  it("rejects when the port is taken", async () => {
    const { endpoint, relay } = await setUp();
    await expect(startEndpoint({ port: endpoint.port, relayUrl: relay.url, sessionId: "s", agentToken: "t", logger: captureLogs().logger })).rejects.toThrow(/EADDRINUSE/);
  });
});
