import { RELAY_SUBPROTOCOL, TICKET_SUBPROTOCOL_PREFIX } from "@authbridge/protocol";
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { createFigures } from "../../../../test-support/figures.js";
import type { FrameSocket } from "../helpers/frame-socket.js";
import { anyString } from "../helpers/matchers.js";
import { browserProtocols, CONSOLE_ORIGIN, type TestRelay, testRelayPerTest } from "../helpers/relay.js";

/**
 * Hostile clients at the relay's doors and on its sockets, beyond the
 * per-check unit tests in ws/ and sessions/: each case asserts the exact
 * refusal and that no token reached a socket it was not meant for.
 */
const figures = createFigures("relay attack cases");
const RESOURCE = "https://management.azure.com/";
const USER_B = { oid: "00000000-0000-0000-0000-00000000000b" };

const relays = testRelayPerTest();
const relay = (): Promise<TestRelay> => relays.start();
afterAll(() => {
  console.log(figures.line());
});

const ticketInvalid = { status: 401, body: { error: { code: "TicketInvalid", message: anyString } } };
const originRefused = { status: 403, body: { error: { code: "OriginNotAllowed", message: anyString } } };
const request = (id: string) => ({ v: 1, type: "token.request", id, resource: RESOURCE, deadline: (relays.current()?.clock.now() ?? 0) + 30_000 });
const okResponse = (id: string, accessToken = `secret-token-for-${id}`) => ({
  v: 1,
  type: "token.response",
  id,
  ok: true,
  token: { accessToken, expiresOn: 1_900_000_000, tokenType: "Bearer", resource: RESOURCE },
});

async function paired(r: TestRelay, token?: string): Promise<{ sessionId: string; agent: FrameSocket; browser: FrameSocket }> {
  const { sessionId, ticket } = await r.createSession(token);
  const agent = await r.agent(sessionId);
  const browser = await r.browser(ticket);
  await agent.next(); // peer connected
  return { sessionId, agent, browser };
}

describe("forged and misused tickets", () => {
  it.each([
    ["a random 32-byte ticket", () => randomBytes(32).toString("base64url")],
    ["a ticket with a flipped last character", (real: string) => `${real.slice(0, -1)}${real.endsWith("A") ? "B" : "A"}`],
    ["the real ticket in upper case", (real: string) => real.toUpperCase()],
    ["the real ticket with a suffix", (real: string) => `${real}x`],
    ["the real ticket truncated", (real: string) => real.slice(0, -2)],
    ["an empty ticket", () => ""],
    ["a 4 KiB ticket", () => "A".repeat(4096)],
    ["a ticket with a NUL-like escape", (real: string) => `${real}%00`],
  ])("refuses %s with 401 TicketInvalid and the real ticket still works", (_name, forge) =>
    figures.run(async () => {
      const r = await relay();
      const { ticket } = await r.createSession();
      expect(await r.refuseBrowser(browserProtocols(forge(ticket)), CONSOLE_ORIGIN)).toEqual(ticketInvalid);
      await expect(r.browser(ticket)).resolves.toBeDefined();
    }),
  );

  it("refuses a user's JWT offered as a ticket", () =>
    figures.run(async () => {
      const r = await relay();
      await r.createSession();
      const jwt = await r.token();
      expect(await r.refuseBrowser([RELAY_SUBPROTOCOL, `${TICKET_SUBPROTOCOL_PREFIX}${jwt}`], CONSOLE_ORIGIN)).toEqual(ticketInvalid);
    }),
  );

  it("ignores a ticket in the query string (tickets never travel in URLs)", () =>
    figures.run(async () => {
      const r = await relay();
      const { ticket } = await r.createSession();
      const refused = await new Promise<number>((resolve, reject) => {
        const ws = new WebSocket(`${r.relay.wsUrl}/ws/browser?ticket=${ticket}`, [RELAY_SUBPROTOCOL], { origin: CONSOLE_ORIGIN });
        ws.once("open", () => reject(new Error("accepted")));
        ws.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
        ws.once("error", reject);
      });
      expect(refused).toBe(401);
    }),
  );

  it("refuses a ticket presented as the agent's bearer, and the agent token as a ticket, both before any upgrade", () =>
    figures.run(async () => {
      const r = await relay();
      const { sessionId, ticket } = await r.createSession();
      const agentToken = r.launcher.context(sessionId).agentToken;
      expect(await r.refuseAgent({ authorization: `Bearer ${ticket}`, "x-authbridge-session": sessionId })).toMatchObject({ status: 401, body: { error: { code: "Unauthorized" } } });
      expect(await r.refuseBrowser(browserProtocols(agentToken), CONSOLE_ORIGIN)).toEqual(ticketInvalid);
    }),
  );

  it("refuses the agent token of session A at session B's agent door", () =>
    figures.run(async () => {
      const r = await relay();
      const a = await r.createSession();
      const b = await r.createSession(await r.token(USER_B));
      const tokenA = r.launcher.context(a.sessionId).agentToken;
      expect(await r.refuseAgent({ authorization: `Bearer ${tokenA}`, "x-authbridge-session": b.sessionId })).toMatchObject({ status: 401, body: { error: { code: "Unauthorized" } } });
    }),
  );
});

describe("origins on the browser door", () => {
  it.each([
    "http://127.0.0.1:5173.evil.example",
    "http://127.0.0.1:5173/",
    "https://127.0.0.1:5173",
    "http://127.0.0.1:5174",
    "http://localhost:5173",
    "HTTP://127.0.0.1:5173",
    "null",
    "file://",
    "http://127.0.0.1:5173, http://127.0.0.1:5173",
  ])("refuses Origin %s with 403 OriginNotAllowed", (origin) =>
    figures.run(async () => {
      const r = await relay();
      const { ticket } = await r.createSession();
      expect(await r.refuseBrowser(browserProtocols(ticket), origin)).toEqual(originRefused);
    }),
  );
});

describe("user A and user B", () => {
  it("B cannot mint a ticket, read or delete A's session: 404 exactly like a missing one", () =>
    figures.run(async () => {
      const r = await relay();
      const { sessionId } = await r.createSession();
      const tokenB = await r.token(USER_B);
      for (const [method, path] of [
        ["POST", `/api/sessions/${sessionId}/tickets`],
        ["GET", `/api/sessions/${sessionId}`],
        ["DELETE", `/api/sessions/${sessionId}`],
      ] as const) {
        const response = await r.api(method, path, { token: tokenB });
        expect([method, response.status, response.body]).toEqual([method, 404, { error: { code: "SessionNotFound", message: anyString } }]);
      }
      expect((await r.api("GET", `/api/sessions/${sessionId}`, { token: await r.token() })).status).toBe(200);
    }),
  );

  it("B's browser never sees A's requests, and cannot answer them", () =>
    figures.run(async () => {
      const r = await relay();
      const a = await paired(r);
      const b = await paired(r, await r.token(USER_B));
      a.agent.send(request("a-1"));
      expect(await a.browser.next()).toMatchObject({ type: "token.request", id: "a-1" });
      // B answers A's id with a token of its own: the relay must not cross sessions.
      b.browser.send(okResponse("a-1", "b-token"));
      expect(await b.browser.next()).toEqual({ v: 1, type: "error", code: "UnknownRequest", message: anyString, id: "a-1" });
      a.browser.send(okResponse("a-1"));
      expect(await a.agent.next()).toEqual(okResponse("a-1"));
      expect(b.agent.frames).toEqual([]);
      expect(b.browser.frames).toEqual([]);
    }),
  );

  it("a ticket of B's session attaches only to B's session", () =>
    figures.run(async () => {
      const r = await relay();
      const a = await r.createSession();
      const agentA = await r.agent(a.sessionId);
      const b = await r.createSession(await r.token(USER_B));
      const browserB = await r.browser(b.ticket);
      agentA.send(request("a-only"));
      expect(await agentA.next()).toEqual({ v: 1, type: "error", code: "BrowserNotConnected", message: anyString, id: "a-only" });
      expect(browserB.frames).toEqual([]);
    }),
  );
});

describe("hostile frames", () => {
  const invalid: [string, (id: string) => unknown][] = [
    ["a token.response with an oversized access token", (id) => okResponse(id, "a".repeat(20_000))],
    ["a token.response with an empty access token", (id) => okResponse(id, "")],
    ["a token.response with a wrong version", (id) => ({ ...okResponse(id), v: 2 })],
    ["a token.response with ok as a string", (id) => ({ ...okResponse(id), ok: "true" })],
    ["a __proto__ pollution attempt", (id) => `{"v":1,"type":"token.response","id":"${id}","ok":true,"__proto__":{"polluted":true},"token":{}}`],
    ["deeply nested JSON", () => `${"[".repeat(5000)}${"]".repeat(5000)}`],
    ["a JSON number", () => "1e999"],
    ["a JSON string", () => '"token.response"'],
    ["null", () => "null"],
    ["invalid UTF-8 as text", () => Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString("latin1")],
  ];

  it.each(invalid)("answers %s with ProtocolError and forwards nothing", (_name, build) =>
    figures.run(async () => {
      const r = await relay();
      const { agent, browser } = await paired(r);
      agent.send(request("victim"));
      await browser.next();
      const frame = build("victim");
      browser.send(frame);
      expect(await browser.next()).toMatchObject({ v: 1, type: "error", code: "ProtocolError" });
      expect(agent.frames).toEqual([]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      // The pending request is untouched: the real answer still goes through.
      browser.send(okResponse("victim"));
      expect(await agent.next()).toEqual(okResponse("victim"));
    }),
  );

  it("strips fields a frame should not carry: an error response smuggling a token reaches the agent without it", () =>
    figures.run(async () => {
      const r = await relay();
      const { agent, browser } = await paired(r);
      agent.send(request("smuggle"));
      await browser.next();
      const raw: string[] = [];
      agent.ws.on("message", (data: Buffer) => raw.push(data.toString("utf8")));
      browser.send({ ...okResponse("smuggle", "smuggled-token"), ok: false, error: { code: "AadError", message: "refused" } });
      const answer = await agent.next();
      expect(answer).toEqual({ v: 1, type: "token.response", id: "smuggle", ok: false, error: { code: "AadError", message: "refused" } });
      // The agent's FrameSocket parses (and so strips); check the raw text on the wire too.
      expect(raw).toHaveLength(1);
      expect(raw[0]).not.toContain("smuggled-token");
    }),
  );

  it("strips an unknown field inside the token of a success response, and forwards a clean frame as it was sent", () =>
    figures.run(async () => {
      const r = await relay();
      const { agent, browser } = await paired(r);
      const raw: string[] = [];
      agent.ws.on("message", (data: Buffer) => raw.push(data.toString("utf8")));
      agent.send(request("extra"));
      await browser.next();
      const padded = okResponse("extra");
      browser.send({ ...padded, token: { ...padded.token, refreshToken: "smuggled-refresh-token" } });
      expect(await agent.next()).toEqual(okResponse("extra"));
      agent.send(request("clean"));
      await browser.next();
      // Key order and spacing of the browser's own text survive: the relay forwards it unchanged.
      const clean = `{ "type": "token.response", "v": 1, "ok": true, "id": "clean", "token": ${JSON.stringify(okResponse("clean").token)} }`;
      browser.send(clean);
      await agent.next();
      expect(raw).toHaveLength(2);
      expect(raw[0]).not.toContain("smuggled-refresh-token");
      expect(raw[1]).toBe(clean);
    }),
  );

  it("an agent cannot impersonate the browser: its token.response is refused and the browser sees nothing", () =>
    figures.run(async () => {
      const r = await relay();
      const { agent, browser } = await paired(r);
      agent.send(okResponse("forged"));
      expect(await agent.next()).toMatchObject({ v: 1, type: "error", code: "ProtocolError" });
      expect(browser.frames).toEqual([]);
    }),
  );

  it("a replayed token.response after its request was answered gets UnknownRequest, the agent gets one answer", () =>
    figures.run(async () => {
      const r = await relay();
      const { agent, browser } = await paired(r);
      agent.send(request("r1"));
      await browser.next();
      browser.send(okResponse("r1"));
      expect(await agent.next()).toEqual(okResponse("r1"));
      for (let i = 0; i < 3; i++) {
        browser.send(okResponse("r1", "replayed"));
        expect(await browser.next()).toMatchObject({ code: "UnknownRequest", id: "r1" });
      }
      expect(agent.frames).toEqual([]);
    }),
  );
});
