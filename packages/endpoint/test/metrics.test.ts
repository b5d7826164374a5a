import { createAllowlist, DEFAULT_ALLOWLIST } from "@authbridge/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAdminApp, createEndpointMetrics, createEndpointServer, createTokenCache, createTokenHandler, type EndpointServer, type RelayAgentStatus } from "../src/index.js";
import { silentLogger } from "../src/logger.js";
import { createFakeClock } from "./helpers/fake-clock.js";
import { httpRequest, tokenPost } from "./helpers/http-client.js";
import { fakeTokenSource, makeToken } from "./helpers/tokens.js";
import { closeServer, listenOnFreePort } from "./helpers/listening.js";

const ARM = "https://management.azure.com/";

describe("GET /metrics", () => {
  let status: RelayAgentStatus;
  let endpoint: EndpointServer;
  let port: number;

  beforeEach(async () => {
    status = { relay: "connected", browser: false };
    const clock = createFakeClock();
    const metrics = createEndpointMetrics(() => status);
    const tokens = fakeTokenSource(() => Promise.resolve(makeToken(1_700_003_600)));
    const tokenHandler = createTokenHandler({ cache: createTokenCache({ clock }), allowlist: createAllowlist(DEFAULT_ALLOWLIST), tokens, clock, metrics });
    endpoint = createEndpointServer({ tokenHandler, app: createAdminApp({ status: () => status, logger: silentLogger(), metrics }) });
    port = await listenOnFreePort(endpoint.server);
  });
  afterEach(async () => {
    await closeServer(endpoint.server);
  });

  it("counts requests by outcome and cache hits, times round trips, and shows the relay and browser state", async () => {
    expect((await tokenPost(port, `resource=${ARM}`)).status).toBe(200);
    expect((await tokenPost(port, `resource=${ARM}`)).status).toBe(200);
    expect((await tokenPost(port, `resource=${ARM}`)).status).toBe(200);
    expect((await tokenPost(port, "resource=https://evil.example/")).status).toBe(400);
    expect((await tokenPost(port, `resource=${ARM}`, {})).status).toBe(400);
    status = { relay: "connected", browser: true };

    const reply = await httpRequest(port, { path: "/metrics" });
    expect(reply.status).toBe(200);
    expect(reply.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
    const lines = reply.text.split("\n");
    expect(lines).toEqual(
      expect.arrayContaining([
        'authbridge_endpoint_token_requests_total{outcome="ok"} 3',
        'authbridge_endpoint_token_requests_total{outcome="AudienceNotSupported"} 1',
        'authbridge_endpoint_token_requests_total{outcome="MetadataHeaderRequired"} 1',
        "authbridge_endpoint_cache_hits_total 2",
        "authbridge_endpoint_round_trip_seconds_count 1",
        "authbridge_endpoint_relay_connected 1",
        "authbridge_endpoint_browser_attached 1",
      ]),
    );
    // No token, no resource value beyond the label of an outcome code.
    expect(reply.text).not.toContain("eyJ");
  });

  it("keeps the Host check in front of /metrics", async () => {
    const reply = await httpRequest(port, { path: "/metrics", host: "evil.example" });
    expect(reply.status).toBe(400);
  });
});
