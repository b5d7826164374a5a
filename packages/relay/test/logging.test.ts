import { Writable } from "node:stream";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { browserProtocols, startTestRelay, type TestRelay } from "./helpers/relay.js";

let t: TestRelay | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe("logs", () => {
  it("never contain a user token, a ticket, an agent token or an access token", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString("utf8"));
        done();
      },
    });
    t = await startTestRelay({ logger: pino({ level: "trace" }, sink) });
    const userToken = await t.token();
    const { sessionId, ticket } = await t.createSession(userToken);
    const agentToken = t.launcher.context(sessionId).agentToken;
    const spare = await t.newTicket(sessionId, userToken);
    await t.refuseBrowser(browserProtocols(spare), "https://evil.example");
    await t.refuseAgent({ authorization: `Bearer ${ticket}`, "x-authbridge-session": sessionId });
    await t.api("POST", "/api/sessions", { token: await t.token({ aud: "api://other" }) });
    const agent = await t.agent(sessionId);
    const browser = await t.browser(ticket);
    await agent.next();
    agent.send({ v: 1, type: "token.request", id: "r1", resource: "https://management.azure.com/", deadline: t.clock.now() + 10_000 });
    await browser.next();
    const accessToken = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.access-token-secret.sig";
    browser.send({ v: 1, type: "token.response", id: "r1", ok: true, token: { accessToken, expiresOn: 1_900_000_000, tokenType: "Bearer", resource: "https://management.azure.com/" } });
    await agent.next();
    await t.api("DELETE", `/api/sessions/${sessionId}`, { token: userToken });

    const log = lines.join("");
    expect(log).toContain("token response forwarded");
    expect(log).toContain(sessionId);
    for (const secret of [userToken, ticket, spare, agentToken, accessToken]) expect(log).not.toContain(secret);
  });
});
