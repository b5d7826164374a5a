import { afterEach, describe, expect, it } from "vitest";
import { browserProtocols, CONSOLE_ORIGIN, startTestRelay, type TestRelay } from "../helpers/relay.js";

let t: TestRelay | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const RESOURCE = "https://management.azure.com/";

describe("/readyz and /metrics", () => {
  it("/readyz answers ready with the session count, without authentication", async () => {
    t = await startTestRelay();
    await t.createSession();
    const response = await fetch(`${t.relay.url}/readyz`);
    expect([response.status, await response.json()]).toEqual([200, { status: "ready", sessions: 1 }]);
  });

  it("counts requests by outcome, refused upgrades and sessions, and times round trips", async () => {
    const r = (t = await startTestRelay());
    const { sessionId, ticket } = await r.createSession();
    const agent = await r.agent(sessionId);
    agent.send({ v: 1, type: "token.request", id: "alone", resource: RESOURCE, deadline: r.clock.now() + 30_000 });
    expect(await agent.next()).toMatchObject({ code: "BrowserNotConnected" });
    expect((await r.refuseBrowser(browserProtocols("forged-ticket-aaaaaaaaaaaa"), CONSOLE_ORIGIN)).status).toBe(401);
    const browser = await r.browser(ticket);
    await agent.next(); // peer connected
    agent.send({ v: 1, type: "token.request", id: "r1", resource: RESOURCE, deadline: r.clock.now() + 30_000 });
    await browser.next();
    browser.send({ v: 1, type: "token.response", id: "r1", ok: true, token: { accessToken: "eyJsecret.token.value", expiresOn: 1_900_000_000, tokenType: "Bearer", resource: RESOURCE } });
    await agent.next();

    const response = await fetch(`${r.relay.url}/metrics`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text.split("\n")).toEqual(
      expect.arrayContaining([
        'authbridge_relay_token_requests_total{outcome="BrowserNotConnected"} 1',
        'authbridge_relay_token_requests_total{outcome="ok"} 1',
        'authbridge_relay_upgrades_refused_total{code="TicketInvalid"} 1',
        "authbridge_relay_round_trip_seconds_count 1",
        "authbridge_relay_sessions 1",
      ]),
    );
    expect(text).not.toContain("eyJ");
  });
});
