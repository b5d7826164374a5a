import { RELAY_BROWSER_PATH, RELAY_SUBPROTOCOL, TICKET_SUBPROTOCOL_PREFIX } from "@authbridge/protocol";
import { describe, expect, it } from "vitest";
import { refusedUpgrade } from "../helpers/frame-socket.js";
import { browserProtocols, CONSOLE_ORIGIN, PORTAL_ORIGIN, testRelayPerTest } from "../helpers/relay.js";
import { anyString } from "../helpers/matchers.js";

const relays = testRelayPerTest();
const relay = relays.start;

const ticketInvalid = { status: 401, body: { error: { code: "TicketInvalid", message: anyString } } };

describe("the browser door", () => {
  it("accepts a fresh ticket from a console origin and selects only the relay sub-protocol", async () => {
    const r = await relay();
    const { ticket } = await r.createSession();
    const browser = await r.browser(ticket, { hello: false });
    expect(browser.ws.protocol).toBe(RELAY_SUBPROTOCOL);
  });

  it("uses a ticket up on the first attempt", async () => {
    const r = await relay();
    const { ticket } = await r.createSession();
    const browser = await r.browser(ticket);
    browser.close();
    await browser.waitClosed();
    expect(await r.refuseBrowser(browserProtocols(ticket), CONSOLE_ORIGIN)).toEqual(ticketInvalid);
  });

  it("uses a ticket up even when the attempt fails", async () => {
    const r = await relay();
    const { ticket } = await r.createSession();
    expect((await r.refuseBrowser(browserProtocols(ticket), "https://evil.example")).status).toBe(403);
    expect(await r.refuseBrowser(browserProtocols(ticket), CONSOLE_ORIGIN)).toEqual(ticketInvalid);
  });

  it("refuses an expired ticket", async () => {
    const r = await relay();
    const { ticket } = await r.createSession();
    r.clock.advance(60_000);
    expect(await r.refuseBrowser(browserProtocols(ticket), CONSOLE_ORIGIN)).toEqual(ticketInvalid);
  });

  it("accepts a ticket just before it expires", async () => {
    const r = await relay();
    const { ticket } = await r.createSession();
    r.clock.advance(59_999);
    await expect(r.browser(ticket)).resolves.toBeDefined();
  });

  it("refuses a wrong Origin with 403 before the upgrade", async () => {
    const r = await relay();
    const { ticket } = await r.createSession();
    expect(await r.refuseBrowser(browserProtocols(ticket), PORTAL_ORIGIN)).toEqual({ status: 403, body: { error: { code: "OriginNotAllowed", message: anyString } } });
  });

  it("refuses a missing Origin", async () => {
    const r = await relay();
    const { ticket } = await r.createSession();
    expect((await r.refuseBrowser(browserProtocols(ticket))).body).toMatchObject({ error: { code: "OriginNotAllowed" } });
  });

  it.each([
    ["no ticket", [RELAY_SUBPROTOCOL]],
    ["no relay sub-protocol", ["TICKET"]],
    ["an unknown ticket", [RELAY_SUBPROTOCOL, `${TICKET_SUBPROTOCOL_PREFIX}AAAAAAAAAAAAAAAAAAAAAAAA`]],
    ["two tickets", [RELAY_SUBPROTOCOL, "TICKET", `${TICKET_SUBPROTOCOL_PREFIX}BBBBBBBBBBBBBBBBBBBBBBBB`]],
  ])("refuses %s with 401 TicketInvalid", async (_label, protocols) => {
    const r = await relay();
    const { ticket } = await r.createSession();
    const offered = protocols.map((protocol) => (protocol === "TICKET" ? `${TICKET_SUBPROTOCOL_PREFIX}${ticket}` : protocol));
    expect(await r.refuseBrowser(offered, CONSOLE_ORIGIN)).toEqual(ticketInvalid);
  });

  it("refuses an agent token offered as a ticket", async () => {
    const r = await relay();
    const { sessionId } = await r.createSession();
    const agentToken = r.launcher.context(sessionId).agentToken;
    expect(await r.refuseBrowser(browserProtocols(agentToken), CONSOLE_ORIGIN)).toEqual(ticketInvalid);
  });

  it("refuses a second browser with 409 while the first is attached, and admits one after it left", async () => {
    const r = await relay();
    const { sessionId, ticket } = await r.createSession();
    const first = await r.browser(ticket);
    const second = await r.refuseBrowser(browserProtocols(await r.newTicket(sessionId)), CONSOLE_ORIGIN);
    expect(second).toEqual({ status: 409, body: { error: { code: "BrowserAlreadyAttached", message: anyString } } });
    first.close();
    await first.waitClosed();
    await expect(r.browser(await r.newTicket(sessionId))).resolves.toBeDefined();
  });

  it("refuses a ticket of a session that has ended", async () => {
    const r = await relay();
    const { sessionId, ticket } = await r.createSession();
    await r.api("DELETE", `/api/sessions/${sessionId}`, { token: await r.token() });
    expect(await r.refuseBrowser(browserProtocols(ticket), CONSOLE_ORIGIN)).toEqual(ticketInvalid);
  });
});

describe("the agent door", () => {
  it("accepts the session's agent token", async () => {
    const r = await relay();
    const { sessionId } = await r.createSession();
    const agent = await r.agent(sessionId, { hello: false });
    agent.hello("agent");
    expect(await agent.next()).toEqual({ v: 1, type: "welcome", sessionId, peer: false });
  });

  it("refuses a wrong agent token with 401", async () => {
    const r = await relay();
    const { sessionId } = await r.createSession();
    const other = await r.createSession();
    const refusal = await r.refuseAgent({ authorization: `Bearer ${r.launcher.context(other.sessionId).agentToken}`, "x-authbridge-session": sessionId });
    expect(refusal).toEqual({ status: 401, body: { error: { code: "Unauthorized", message: anyString } } });
  });

  it("refuses a ticket offered as the agent token", async () => {
    const r = await relay();
    const { sessionId, ticket } = await r.createSession();
    expect((await r.refuseAgent({ authorization: `Bearer ${ticket}`, "x-authbridge-session": sessionId })).status).toBe(401);
  });

  it.each([
    ["no Authorization", (_token: string, sessionId: string): Record<string, string> => ({ "x-authbridge-session": sessionId })],
    ["no session header", (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` })],
    ["an unknown session", (token: string): Record<string, string> => ({ authorization: `Bearer ${token}`, "x-authbridge-session": "nope" })],
    ["a non-bearer scheme", (token: string, sessionId: string): Record<string, string> => ({ authorization: `Basic ${token}`, "x-authbridge-session": sessionId })],
  ])("refuses %s with 401", async (_label, headers) => {
    const r = await relay();
    const { sessionId } = await r.createSession();
    expect((await r.refuseAgent(headers(r.launcher.context(sessionId).agentToken, sessionId))).status).toBe(401);
  });

  it("refuses a second agent with 409 AgentAlreadyAttached", async () => {
    const r = await relay();
    const { sessionId } = await r.createSession();
    await r.agent(sessionId);
    const refusal = await r.refuseAgent({ authorization: `Bearer ${r.launcher.context(sessionId).agentToken}`, "x-authbridge-session": sessionId });
    expect(refusal).toEqual({ status: 409, body: { error: { code: "AgentAlreadyAttached", message: anyString } } });
  });

  it("lets the agent attach again after it left", async () => {
    const r = await relay();
    const { sessionId } = await r.createSession();
    const first = await r.agent(sessionId);
    first.close();
    await first.waitClosed();
    await expect(r.agent(sessionId)).resolves.toBeDefined();
  });
});

describe("other paths", () => {
  it("answer 404 before any upgrade", async () => {
    const r = await relay();
    expect(await refusedUpgrade(`${r.relay.wsUrl}/ws/other`)).toEqual({ status: 404, body: { error: { code: "NotFound", message: "no WebSocket endpoint at /ws/other" } } });
    expect((await refusedUpgrade(`${r.relay.wsUrl}${RELAY_BROWSER_PATH}/x`, [], { origin: CONSOLE_ORIGIN })).status).toBe(404);
  });
});
