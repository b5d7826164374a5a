import { AuthbridgeError, createAllowlist, DEFAULT_ALLOWLIST, type Token } from "@authbridge/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAdminApp, createEndpointServer, createTokenCache, createTokenHandler, type EndpointServer, type RelayAgentStatus } from "../../src/index.js";
import { MESSAGES } from "../../src/messages.js";
import { silentLogger } from "../../src/logger.js";
import { createFakeClock } from "../helpers/fake-clock.js";
import { httpRequest, tokenPost } from "../helpers/http-client.js";
import { deferred, fakeTokenSource, makeToken, type FakeTokenSource } from "../helpers/tokens.js";
import { closeServer, listenOnFreePort } from "../helpers/listening.js";

const ARM = "https://management.azure.com/";

describe("endpoint server", () => {
  let status: RelayAgentStatus;
  let tokens: FakeTokenSource;
  let endpoint: EndpointServer;
  let port: number;

  beforeEach(async () => {
    status = { relay: "connected", browser: true };
    const clock = createFakeClock();
    tokens = fakeTokenSource(() => Promise.resolve(makeToken(1_700_003_600)));
    const tokenHandler = createTokenHandler({ cache: createTokenCache({ clock }), allowlist: createAllowlist(DEFAULT_ALLOWLIST), tokens, clock });
    endpoint = createEndpointServer({ tokenHandler, app: createAdminApp({ status: () => status, logger: silentLogger() }) });
    port = await listenOnFreePort(endpoint.server);
  });
  afterEach(async () => {
    await closeServer(endpoint.server);
  });

  it("answers /healthz with {\"status\":\"ok\"}", async () => {
    const reply = await httpRequest(port, { path: "/healthz" });
    expect([reply.status, reply.text, reply.headers["content-type"]]).toEqual([200, '{"status":"ok"}', "application/json; charset=utf-8"]);
  });

  it("is ready only with the relay connected and a browser attached", async () => {
    expect((await httpRequest(port, { path: "/readyz" })).status).toBe(200);
    status = { relay: "connected", browser: false };
    const noBrowser = await httpRequest(port, { path: "/readyz" });
    expect([noBrowser.status, noBrowser.text]).toEqual([503, JSON.stringify({ error: { code: "BrowserNotConnected", message: MESSAGES.BrowserNotConnected } })]);
    status = { relay: "disconnected", browser: false };
    const noRelay = await httpRequest(port, { path: "/readyz" });
    expect([noRelay.status, noRelay.text]).toEqual([503, JSON.stringify({ error: { code: "RelayUnavailable", message: MESSAGES.RelayUnavailable } })]);
  });

  it("answers unknown paths with 404 NotFound JSON", async () => {
    for (const path of ["/", "/oauth2", "/oauth2/token2", "/healthz/x"]) {
      const reply = await httpRequest(port, { path });
      expect([reply.status, reply.text]).toEqual([404, JSON.stringify({ error: { code: "NotFound", message: MESSAGES.NotFound } })]);
    }
  });

  it("routes token paths to the token handler, 405 with Allow for the wrong method", async () => {
    expect((await tokenPost(port, `resource=${ARM}`)).status).toBe(200);
    const wrong = await httpRequest(port, { method: "DELETE", path: "/oauth2/token" });
    expect([wrong.status, wrong.headers.allow]).toEqual([405, "POST"]);
    const imds = await httpRequest(port, { method: "POST", path: "/metadata/identity/oauth2/token" });
    expect([imds.status, imds.headers.allow]).toEqual([405, "GET"]);
  });

  it("applies the Host and X-Forwarded-For checks to the admin routes too", async () => {
    const host = await httpRequest(port, { path: "/healthz", host: "evil.test" });
    expect([host.status, JSON.parse(host.text)]).toEqual([400, { error: { code: "HostNotAllowed", message: MESSAGES.HostNotAllowed } }]);
    const forwarded = await httpRequest(port, { path: "/healthz", headers: { "x-forwarded-for": "1.2.3.4" } });
    expect(JSON.parse(forwarded.text)).toMatchObject({ error: { code: "ForwardedRequestRefused" } });
    const noHost = await httpRequest(port, { path: "/healthz", host: null });
    expect(JSON.parse(noHost.text)).toMatchObject({ error: { code: "HostNotAllowed" } });
  });

  it("during shutdown refuses new requests with 503 ShuttingDown and lets in-flight ones finish", async () => {
    const pending = deferred<Token>();
    tokens.respond(() => pending.promise);
    const inFlight = tokenPost(port, `resource=${ARM}`);
    await expect.poll(() => tokens.calls.length).toBe(1);
    endpoint.beginShutdown();
    const refused = await httpRequest(port, { path: "/healthz" });
    expect([refused.status, JSON.parse(refused.text), refused.headers.connection]).toEqual([
      503,
      { error: { code: "ShuttingDown", message: MESSAGES.ShuttingDown } },
      "close",
    ]);
    expect(endpoint.inFlight.count).toBe(1);
    const idle = endpoint.inFlight.idle(5_000);
    pending.resolve(makeToken(1_700_003_600));
    const reply = await inFlight;
    expect([reply.status, reply.headers.connection]).toEqual([200, "close"]);
    await expect(idle).resolves.toBe(true);
  });

  it("reports an error thrown by the token source as JSON, not a dropped connection", async () => {
    tokens.respond(() => Promise.reject(new AuthbridgeError("Timeout", "slow")));
    const reply = await tokenPost(port, `resource=${ARM}`);
    expect([reply.status, reply.text]).toEqual([504, '{"error":{"code":"Timeout","message":"slow"}}']);
  });
});
