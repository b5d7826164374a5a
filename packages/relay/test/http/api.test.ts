import { AuthbridgeError } from "@authbridge/protocol";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { startRelay } from "../../src/index.js";
import { AUDIENCE, ISSUER } from "../helpers/authority.js";
import { CONSOLE_URL, FakeLauncher, PORTAL_ORIGIN, testRelayPerTest } from "../helpers/relay.js";
import { matching } from "../helpers/matchers.js";

const relays = testRelayPerTest();
const relay = relays.start;

describe("GET /healthz", () => {
  it("answers ok without authentication", async () => {
    const r = await relay();
    const response = await r.api("GET", "/healthz");
    expect(response).toMatchObject({ status: 200, body: { status: "ok" } });
  });
});

describe("POST /api/sessions", () => {
  it("launches an endpoint and answers the session, console URL and a ticket", async () => {
    const r = await relay();
    const response = await r.api("POST", "/api/sessions", { token: await r.token() });
    expect(response.status).toBe(201);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const context = r.launcher.contexts[0];
    expect(context).toBeDefined();
    const sessionId = context?.sessionId ?? "";
    expect(sessionId).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    expect(context?.agentToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(context?.relayAgentUrl).toBe(`${r.relay.wsUrl}/ws/agent`);
    expect(response.body).toEqual({
      sessionId,
      consoleUrl: `${CONSOLE_URL}?session=${sessionId}`,
      ticket: matching(/^[A-Za-z0-9_-]{22,}$/),
      expiresAt: new Date(r.clock.now() + 60_000).toISOString(),
      endpointUrl: "http://127.0.0.1:50342",
    });
    expect(JSON.stringify(response.body)).not.toContain(context?.agentToken);
    expect(r.relay.sessionCount()).toBe(1);
  });

  it("leaves endpointUrl out when the launcher does not know it", async () => {
    const r = await relay();
    r.launcher.endpointUrl = undefined;
    const created = await r.createSession();
    expect(created.endpointUrl).toBeUndefined();
  });

  it.each([
    ["no token", {}, /missing Authorization/],
    ["a bad signature", { rogue: true }, /signature/],
    ["the wrong audience", { aud: "api://someone-else" }, /audience/],
    ["an expired token", { expiresIn: -3600 }, /expired/],
    ["no oid", { oid: null }, /"oid"/],
    ["no tid", { tid: null }, /"tid"/],
  ])("refuses %s with 401 Unauthorized", async (_label, options, message) => {
    const r = await relay();
    const token = _label === "no token" ? undefined : await r.token(options);
    const response = await r.api("POST", "/api/sessions", token === undefined ? {} : { token });
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ error: { code: "Unauthorized", message: matching(message) } });
    if (token !== undefined) expect(JSON.stringify(response.body)).not.toContain(token);
    expect(r.launcher.contexts).toHaveLength(0);
  });

  it("answers 502 LaunchFailed and forgets the session when the launch fails", async () => {
    const r = await relay();
    r.launcher.failWith = new AuthbridgeError("LaunchFailed", "no container available");
    const response = await r.api("POST", "/api/sessions", { token: await r.token() });
    expect(response.status).toBe(502);
    expect(response.body).toEqual({ error: { code: "LaunchFailed", message: "the session's endpoint could not be started: no container available" } });
    expect(r.relay.sessionCount()).toBe(0);
  });

  it("limits sessions per user with 429 TooManySessions", async () => {
    const r = await relay({ maxSessionsPerUser: 2 });
    const alice = await r.token();
    await r.createSession(alice);
    await r.createSession(alice);
    const third = await r.api("POST", "/api/sessions", { token: alice });
    expect(third.status).toBe(429);
    expect(third.body).toMatchObject({ error: { code: "TooManySessions" } });
    // Another user is not affected.
    expect((await r.api("POST", "/api/sessions", { token: await r.token({ oid: "user-b" }) })).status).toBe(201);
  });

  it("caps JSON bodies", async () => {
    const r = await relay();
    const response = await r.api("POST", "/api/sessions", {
      token: await r.token(),
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ pad: "x".repeat(20_000) }),
    });
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ error: { code: "PayloadTooLarge" } });
  });

  it("answers 503 AadUnavailable when the JWKS cannot be fetched over TLS it does not trust", async () => {
    const base = await relay();
    const launcher = new FakeLauncher();
    const untrusting = await startRelay({
      auth: { issuer: ISSUER, audience: AUDIENCE, jwksUri: base.authority.jwksUri },
      consoleUrl: CONSOLE_URL,
      allowedOrigins: [],
      corsOrigins: [],
      launcher,
      logger: pino({ level: "silent" }),
    });
    try {
      const response = await fetch(`${untrusting.url}/api/sessions`, { method: "POST", headers: { authorization: `Bearer ${await base.token()}` } });
      expect(response.status).toBe(503);
      const body: unknown = await response.json();
      expect(body).toMatchObject({ error: { code: "AadUnavailable" } });
    } finally {
      await untrusting.close();
    }
  });
});

describe("a session belongs to its user", () => {
  it("is visible to its owner", async () => {
    const r = await relay();
    const { sessionId } = await r.createSession();
    const response = await r.api("GET", `/api/sessions/${sessionId}`, { token: await r.token() });
    expect(response).toMatchObject({ status: 200, body: { sessionId, agent: false, browser: false, endpointUrl: "http://127.0.0.1:50342" } });
  });

  it("is 404 SessionNotFound to another user, exactly like a missing one", async () => {
    const r = await relay();
    const { sessionId } = await r.createSession();
    const bob = await r.token({ oid: "user-b" });
    const otherTenant = await r.token({ tid: "tenant-b" });
    const missing = await r.api("GET", "/api/sessions/does-not-exist", { token: bob });
    expect(missing).toMatchObject({ status: 404, body: { error: { code: "SessionNotFound", message: "no such session" } } });
    for (const token of [bob, otherTenant]) {
      expect((await r.api("GET", `/api/sessions/${sessionId}`, { token })).body).toEqual(missing.body);
      expect((await r.api("POST", `/api/sessions/${sessionId}/tickets`, { token })).body).toEqual(missing.body);
      expect((await r.api("DELETE", `/api/sessions/${sessionId}`, { token })).body).toEqual(missing.body);
    }
    expect(r.relay.sessionCount()).toBe(1);
    expect(r.launcher.stopped).toEqual([]);
  });

  it("needs a valid token even to learn that a session is missing", async () => {
    const r = await relay();
    expect((await r.api("GET", "/api/sessions/whatever")).status).toBe(401);
  });

  it("mints fresh tickets for its owner", async () => {
    const r = await relay();
    const { sessionId, ticket } = await r.createSession();
    const response = await r.api("POST", `/api/sessions/${sessionId}/tickets`, { token: await r.token() });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ ticket: matching(/^[A-Za-z0-9_-]{22,}$/), expiresAt: new Date(r.clock.now() + 60_000).toISOString() });
    expect(response.body).not.toMatchObject({ ticket });
  });
});

describe("DELETE /api/sessions/:id", () => {
  it("answers 204, stops the endpoint and forgets the session", async () => {
    const r = await relay();
    const { sessionId } = await r.createSession();
    const token = await r.token();
    const response = await r.api("DELETE", `/api/sessions/${sessionId}`, { token });
    expect(response.status).toBe(204);
    expect(response.body).toBeUndefined();
    expect(r.launcher.stopped).toEqual([sessionId]);
    expect(r.relay.sessionCount()).toBe(0);
    expect((await r.api("GET", `/api/sessions/${sessionId}`, { token })).status).toBe(404);
  });
});

describe("CORS", () => {
  it("answers a preflight from a portal origin with 204 and the allowed methods and headers", async () => {
    const r = await relay();
    const response = await r.api("OPTIONS", "/api/sessions", {
      origin: PORTAL_ORIGIN,
      headers: { "access-control-request-method": "POST", "access-control-request-headers": "authorization" },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe(PORTAL_ORIGIN);
    expect(response.headers.get("access-control-allow-methods")).toBe("GET, POST, DELETE");
    expect(response.headers.get("access-control-allow-headers")).toBe("Authorization, Content-Type");
    expect(response.headers.get("vary")).toMatch(/Origin/);
  });

  it("refuses a preflight from any other origin with 403 OriginNotAllowed", async () => {
    const r = await relay();
    const response = await r.api("OPTIONS", "/api/sessions", { origin: "https://evil.example", headers: { "access-control-request-method": "POST" } });
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ error: { code: "OriginNotAllowed" } });
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("refuses a request from another origin before looking at its token", async () => {
    const r = await relay();
    const response = await r.api("POST", "/api/sessions", { origin: "https://evil.example", token: await r.token() });
    expect(response.status).toBe(403);
    expect(r.launcher.contexts).toHaveLength(0);
  });

  it("labels responses to the portal origin", async () => {
    const r = await relay();
    const response = await r.api("POST", "/api/sessions", { origin: PORTAL_ORIGIN, token: await r.token() });
    expect(response.status).toBe(201);
    expect(response.headers.get("access-control-allow-origin")).toBe(PORTAL_ORIGIN);
  });

  it("does not apply to the console origin", async () => {
    const r = await relay();
    const response = await r.api("GET", "/api/sessions/x", { origin: "http://127.0.0.1:5173", token: await r.token() });
    expect(response.status).toBe(403);
  });
});

describe("unknown routes", () => {
  it("answer 404 NotFound in the JSON error shape", async () => {
    const r = await relay();
    expect(await r.api("GET", "/nope")).toMatchObject({ status: 404, body: { error: { code: "NotFound" } } });
  });
});
