import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { pino, type Logger } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { digestSecret } from "../../src/auth/secret.js";
import { createExternalLauncher, type LaunchContext } from "../../src/index.js";
import { anyString, matching } from "../helpers/matchers.js";
import { startTestRelay, type TestRelay } from "../helpers/relay.js";

/** A session as a previous relay left it in the state file; its owner is the test authority's default user. */
const AGENT_TOKEN = "agent-token-of-the-restored-session-0123456";
const RESTORED = {
  id: "cmVzdG9yZWQtc2Vzc2lvbg",
  owner: { tid: "tenant-a", oid: "user-a" },
  agentTokenDigest: digestSecret(AGENT_TOKEN).toString("base64url"),
  endpointUrl: "http://127.0.0.1:50342",
  createdAt: "2026-11-26T16:00:00.000Z",
};
const USER_B = { oid: "user-b" };
const RESOURCE = "https://management.azure.com/";
const GOING_AWAY = { code: 1001, reason: "relay shutting down" };

let dir: string;
let stateFile: string;
const relays: TestRelay[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "relay-persistence-"));
  stateFile = join(dir, "sessions.json");
});
afterEach(async () => {
  for (const r of relays.splice(0)) await r.close();
  rmSync(dir, { recursive: true, force: true });
});

async function relay(overrides: Parameters<typeof startTestRelay>[0] = {}): Promise<TestRelay> {
  const r = await startTestRelay({ stateFile, ...overrides });
  relays.push(r);
  return r;
}

function writeState(sessions: unknown[] = [RESTORED]): void {
  writeFileSync(stateFile, JSON.stringify({ version: 1, sessions }));
}

function stateText(): string {
  return readFileSync(stateFile, "utf8");
}

const stateFileShape = z.object({ sessions: z.array(z.object({ id: z.string() })) });
function stateIds(): string[] {
  return stateFileShape.parse(JSON.parse(stateText())).sessions.map((session) => session.id);
}

/** A logger whose JSON lines the test reads back. */
function capturedLogger(): { logger: Logger; entries(): Record<string, unknown>[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString("utf8"));
      done();
    },
  });
  return {
    logger: pino({ level: "info" }, sink),
    entries: () => lines.map(logEntry),
  };
}

function logEntry(line: string): Record<string, unknown> {
  const entry: unknown = JSON.parse(line);
  if (typeof entry !== "object" || entry === null) throw new Error(`not a log entry: ${line}`);
  return Object.fromEntries(Object.entries(entry));
}

describe("the state file", () => {
  it("holds a session once its endpoint is launched, with mode 0600, the agent token's digest and no token or ticket; it loses the session when it ends", async () => {
    const r = await relay();
    expect(existsSync(stateFile)).toBe(false);
    const { sessionId, ticket } = await r.createSession();
    const { agentToken } = r.launcher.context(sessionId);
    expect(JSON.parse(stateText())).toEqual({
      version: 1,
      sessions: [
        {
          id: sessionId,
          owner: { tid: "tenant-a", oid: "user-a" },
          agentTokenDigest: digestSecret(agentToken).toString("base64url"),
          endpointUrl: "http://127.0.0.1:50342",
          createdAt: new Date(r.clock.now()).toISOString(),
        },
      ],
    });
    expect(statSync(stateFile).mode & 0o777).toBe(0o600);
    expect(stateText()).not.toContain(agentToken);
    expect(stateText()).not.toContain(ticket);

    expect((await r.api("DELETE", `/api/sessions/${sessionId}`, { token: await r.token() })).status).toBe(204);
    expect(JSON.parse(stateText())).toEqual({ version: 1, sessions: [] });
  });

  it("is not written for a session whose launch failed", async () => {
    const r = await relay();
    r.launcher.failWith = new Error("no container available");
    expect((await r.api("POST", "/api/sessions", { token: await r.token() })).status).toBe(502);
    expect(existsSync(stateFile)).toBe(false);
  });

  it("when it cannot be written, the error is logged and the session still works", async () => {
    const log = capturedLogger();
    const missing = join(dir, "no-such-dir", "sessions.json");
    const r = await relay({ stateFile: missing, logger: log.logger });
    const { sessionId, ticket } = await r.createSession();
    const agent = await r.agent(sessionId);
    await r.browser(ticket);
    expect(await agent.next()).toEqual({ v: 1, type: "peer", state: "connected" });
    expect(log.entries()).toContainEqual(expect.objectContaining({ level: 50, stateFile: missing, msg: matching(/could not be written/) }));
  });
});

describe("a session taken back from the state file", () => {
  it("lets its agent attach with the old token, its owner mint a ticket, and carries a token round trip", async () => {
    writeState();
    const r = await relay();
    expect(r.relay.sessionCount()).toBe(1);
    const token = await r.token();
    expect(await r.api("GET", `/api/sessions/${RESTORED.id}`, { token })).toMatchObject({
      status: 200,
      body: { sessionId: RESTORED.id, agent: false, browser: false, endpointUrl: RESTORED.endpointUrl },
    });

    const agent = await r.agent(RESTORED.id, { token: AGENT_TOKEN, hello: false });
    agent.hello("agent");
    expect(await agent.next()).toEqual({ v: 1, type: "welcome", sessionId: RESTORED.id, peer: false });
    const browser = await r.browser(await r.newTicket(RESTORED.id, token));
    expect(await agent.next()).toEqual({ v: 1, type: "peer", state: "connected" });

    const request = { v: 1, type: "token.request", id: "req-1", resource: RESOURCE, deadline: r.clock.now() + 30_000 };
    agent.send(request);
    expect(await browser.next()).toEqual(request);
    const response = { v: 1, type: "token.response", id: "req-1", ok: true, token: { accessToken: "access", expiresOn: 1_900_000_000, tokenType: "Bearer", resource: RESOURCE } };
    browser.send(response);
    expect(await agent.next()).toEqual(response);

    expect((await r.api("DELETE", `/api/sessions/${RESTORED.id}`, { token })).status).toBe(204);
    expect(await agent.waitClosed()).toEqual({ code: 4000, reason: "session ended" });
    expect(stateIds()).toEqual([]);
  });

  it("is another user's 404 like a missing session, and refuses a wrong agent token with 401", async () => {
    writeState();
    const r = await relay();
    const tokenB = await r.token(USER_B);
    for (const [method, path] of [
      ["POST", `/api/sessions/${RESTORED.id}/tickets`],
      ["GET", `/api/sessions/${RESTORED.id}`],
      ["DELETE", `/api/sessions/${RESTORED.id}`],
    ] as const) {
      const response = await r.api(method, path, { token: tokenB });
      expect([method, response.status, response.body]).toEqual([method, 404, { error: { code: "SessionNotFound", message: anyString } }]);
    }
    expect(await r.refuseAgent({ authorization: `Bearer ${AGENT_TOKEN}x`, "x-authbridge-session": RESTORED.id })).toEqual({
      status: 401,
      body: { error: { code: "Unauthorized", message: anyString } },
    });
    expect(r.relay.sessionCount()).toBe(1);
  });

  it("counts against the owner's session limit", async () => {
    writeState();
    const r = await relay({ maxSessionsPerUser: 1 });
    const response = await r.api("POST", "/api/sessions", { token: await r.token() });
    expect(response).toMatchObject({ status: 429, body: { error: { code: "TooManySessions" } } });
    expect((await r.api("POST", "/api/sessions", { token: await r.token(USER_B) })).status).toBe(201);
  });

  it("ends, logged at info with its id, when its agent has not said hello within reattachMs, and leaves the file", async () => {
    writeState();
    const log = capturedLogger();
    const r = await relay({ reattachMs: 200, logger: log.logger });
    // An agent that attaches but never says hello has not come back.
    const silent = await r.agent(RESTORED.id, { token: AGENT_TOKEN, hello: false });
    await expect.poll(() => r.relay.sessionCount(), { timeout: 3_000 }).toBe(0);
    expect(await silent.waitClosed()).toEqual({ code: 4000, reason: "session ended" });
    expect(stateIds()).toEqual([]);
    expect(log.entries()).toContainEqual(expect.objectContaining({ level: 30, sessionId: RESTORED.id, msg: matching(/did not come back/) }));
  });

  it("stays past reattachMs once its agent said hello", async () => {
    writeState();
    const r = await relay({ reattachMs: 200 });
    const agent = await r.agent(RESTORED.id, { token: AGENT_TOKEN });
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(r.relay.sessionCount()).toBe(1);
    expect(agent.ws.readyState).toBe(agent.ws.OPEN);
    expect(stateIds()).toEqual([RESTORED.id]);
  });

  it("ends after sessionIdleMs without a browser, like a live one", async () => {
    writeState();
    const r = await relay({ sessionIdleMs: 200 });
    const agent = await r.agent(RESTORED.id, { token: AGENT_TOKEN });
    expect(await agent.waitClosed()).toEqual({ code: 4000, reason: "session ended" });
    expect(r.relay.sessionCount()).toBe(0);
    expect(stateIds()).toEqual([]);
  });
});

describe("an unusable state file", () => {
  it.each([
    ["not JSON", '{"version":1,"sessions":[', /not valid JSON/],
    ["of another version", JSON.stringify({ version: 2, sessions: [RESTORED] }), /version: must be 1/],
    ["of the wrong shape", JSON.stringify({ version: 1, sessions: [{ ...RESTORED, owner: "user-a" }] }), /sessions\.0\.owner: /],
  ])("that is %s is reported with a warning naming the file; the relay starts empty and the next write replaces it", async (_label, text, reason) => {
    writeFileSync(stateFile, text);
    const log = capturedLogger();
    const r = await relay({ logger: log.logger });
    expect(r.relay.sessionCount()).toBe(0);
    expect(log.entries()).toContainEqual(expect.objectContaining({ level: 40, stateFile, reason: matching(reason) }));
    const { sessionId } = await r.createSession();
    expect(stateIds()).toEqual([sessionId]);
  });
});

describe("a graceful close with a state file", () => {
  it("ends the sessions whose endpoint it launched, and keeps the others in the file with their sockets closed 1001", async () => {
    writeState();
    const r = await relay();
    const launched = await r.createSession();
    const launchedAgent = await r.agent(launched.sessionId);
    const restoredAgent = await r.agent(RESTORED.id, { token: AGENT_TOKEN });
    const restoredBrowser = await r.browser(await r.newTicket(RESTORED.id));
    await r.relay.close();
    expect(await restoredAgent.waitClosed()).toEqual(GOING_AWAY);
    expect(await restoredBrowser.waitClosed()).toEqual(GOING_AWAY);
    expect(await launchedAgent.waitClosed()).toEqual(GOING_AWAY);
    expect(r.launcher.stopped).toEqual([launched.sessionId]);
    expect(stateIds()).toEqual([RESTORED.id]);
  });

  it("keeps the external launcher's sessions, and the next relay takes them back", async () => {
    const contexts: LaunchContext[] = [];
    const launcher = createExternalLauncher({ onLaunch: (context) => void contexts.push(context) });
    const first = await relay({ launcher });
    const { sessionId } = await first.createSession();
    const agentToken = contexts[0]?.agentToken ?? "";
    const agent = await first.agent(sessionId, { token: agentToken });
    await first.relay.close();
    expect(await agent.waitClosed()).toEqual(GOING_AWAY);
    expect(stateIds()).toEqual([sessionId]);

    const second = await relay({ launcher });
    const back = await second.agent(sessionId, { token: agentToken, hello: false });
    back.hello("agent");
    expect(await back.next()).toEqual({ v: 1, type: "welcome", sessionId, peer: false });
    expect((await second.api("POST", `/api/sessions/${sessionId}/tickets`, { token: await second.token() })).status).toBe(201);
  });
});
