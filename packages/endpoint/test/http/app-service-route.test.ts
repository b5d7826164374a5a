import { AuthbridgeError, createAllowlist, DEFAULT_ALLOWLIST } from "@authbridge/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAdminApp, createAppServiceHandler, createEndpointServer, createTokenCache, createTokenHandler, type EndpointServer } from "../../src/index.js";
import { appServiceResponseBody } from "../../src/http/app-service-route.js";
import { silentLogger } from "../../src/logger.js";
import { createFakeClock } from "../helpers/fake-clock.js";
import { httpRequest, tokenPost, type HttpReply } from "../helpers/http-client.js";
import { fakeTokenSource, makeToken, type FakeTokenSource } from "../helpers/tokens.js";
import { closeServer, listenOnFreePort } from "../helpers/listening.js";

const SECRET = "s3cret-app-service-header-0123456789";
const VAULT = "https://vault.azure.net";
const QUERY = `/msi/token?api-version=2019-08-01&resource=${encodeURIComponent(VAULT)}`;
/** A JWT-shaped token whose payload carries `appid` (never verified, only echoed as client_id). */
const TOKEN = `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify({ appid: "5e0a1c3b-7d2f-4c55-9b1e-0a0b0c0d0e0f", aud: VAULT })).toString("base64url")}.sig`;

function errorOf(reply: HttpReply): unknown {
  return [reply.status, JSON.parse(reply.text)];
}

function listen(endpoint: EndpointServer): Promise<number> {
  return listenOnFreePort(endpoint.server);
}

function close(endpoint: EndpointServer): Promise<void> {
  return closeServer(endpoint.server);
}

describe("App Service dialect", () => {
  let tokens: FakeTokenSource;
  let endpoint: EndpointServer;
  let port: number;

  beforeEach(async () => {
    const clock = createFakeClock();
    tokens = fakeTokenSource((resource) => Promise.resolve(makeToken(1_700_003_600, { accessToken: TOKEN, resource })));
    const cache = createTokenCache({ clock });
    const allowlist = createAllowlist(DEFAULT_ALLOWLIST);
    endpoint = createEndpointServer({
      tokenHandler: createTokenHandler({ cache, allowlist, tokens, clock }),
      app: createAdminApp({ status: () => ({ relay: "connected", browser: true }), logger: silentLogger() }),
      appService: createAppServiceHandler({ secret: SECRET, cache, allowlist, tokens }),
    });
    port = await listen(endpoint);
  });
  afterEach(() => close(endpoint));

  it("answers App Service's 2019-08-01 shape with the right secret header", async () => {
    const reply = await httpRequest(port, { path: QUERY, headers: { "x-identity-header": SECRET } });
    expect(reply.status).toBe(200);
    expect(reply.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(reply.text).toBe(
      JSON.stringify({ access_token: TOKEN, expires_on: "1700003600", resource: VAULT, token_type: "Bearer", client_id: "5e0a1c3b-7d2f-4c55-9b1e-0a0b0c0d0e0f" }),
    );
    expect(tokens.calls).toEqual([VAULT]);
  });

  it("shares the Cloud Shell routes' cache", async () => {
    expect((await tokenPost(port, `resource=${VAULT}`)).status).toBe(200);
    expect((await httpRequest(port, { path: QUERY, headers: { "x-identity-header": SECRET } })).status).toBe(200);
    expect(tokens.calls).toEqual([VAULT]);
  });

  it("refuses a missing secret header with 400 IdentityHeaderRequired before any work", async () => {
    for (const headers of [{}, { "x-identity-header": "" }]) {
      const reply = await httpRequest(port, { path: QUERY, headers });
      expect(errorOf(reply)).toEqual([
        400,
        { error: { code: "IdentityHeaderRequired", message: "Add the header X-IDENTITY-HEADER with the value of IDENTITY_HEADER (see `authbridge-endpoint env`)." } },
      ]);
    }
    expect(tokens.calls).toEqual([]);
  });

  it("refuses a wrong secret (shorter, longer, same length) with 401 IdentityHeaderInvalid", async () => {
    const sameLength = `${SECRET.slice(0, -1)}x`;
    for (const wrong of ["nope", `${SECRET}x`, sameLength, SECRET.toUpperCase()]) {
      const reply = await httpRequest(port, { path: QUERY, headers: { "x-identity-header": wrong } });
      expect(errorOf(reply)).toEqual([
        401,
        { error: { code: "IdentityHeaderInvalid", message: "X-IDENTITY-HEADER does not match IDENTITY_HEADER; take both from `authbridge-endpoint env`." } },
      ]);
      expect(reply.text).not.toContain(wrong);
    }
    expect(tokens.calls).toEqual([]);
  });

  it("does not accept the secret in the query string or the Metadata header instead", async () => {
    const reply = await httpRequest(port, { path: `${QUERY}&x-identity-header=${SECRET}`, headers: { metadata: "true" } });
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.text)).toMatchObject({ error: { code: "IdentityHeaderRequired" } });
  });

  it("needs api-version=2019-08-01 and a resource", async () => {
    const headers = { "x-identity-header": SECRET };
    const noVersion = await httpRequest(port, { path: `/msi/token?resource=${VAULT}`, headers });
    expect(errorOf(noVersion)).toEqual([
      400,
      { error: { code: "InvalidRequest", message: "Add api-version=2019-08-01 to the query string; it is the App Service version this endpoint answers." } },
    ]);
    const oldVersion = await httpRequest(port, { path: `/msi/token?api-version=2017-09-01&resource=${VAULT}`, headers });
    expect(oldVersion.status).toBe(400);
    const noResource = await httpRequest(port, { path: "/msi/token?api-version=2019-08-01", headers });
    expect(JSON.parse(noResource.text)).toMatchObject({ error: { code: "ResourceRequired" } });
    expect(tokens.calls).toEqual([]);
  });

  it("refuses user-assigned identities and unlisted audiences like the other dialects", async () => {
    const headers = { "x-identity-header": SECRET };
    const identity = await httpRequest(port, { path: `${QUERY}&client_id=00000000-0000-0000-0000-000000000001`, headers });
    expect([identity.status, JSON.parse(identity.text)]).toMatchObject([400, { error: { code: "IdentityNotSupported" } }]);
    const audience = await httpRequest(port, { path: "/msi/token?api-version=2019-08-01&resource=https://newservice.azure.com/", headers });
    expect([audience.status, JSON.parse(audience.text)]).toMatchObject([400, { error: { code: "AudienceNotSupported" } }]);
    expect(tokens.calls).toEqual([]);
  });

  it("answers only GET (405 with Allow) and checks Host like every route", async () => {
    const post = await httpRequest(port, { method: "POST", path: QUERY, headers: { "x-identity-header": SECRET } });
    expect([post.status, post.headers.allow]).toEqual([405, "GET"]);
    const rebinding = await httpRequest(port, { path: QUERY, headers: { "x-identity-header": SECRET }, host: "evil.example:80" });
    expect(JSON.parse(rebinding.text)).toMatchObject({ error: { code: "HostNotAllowed" } });
  });

  it("passes relay failures through with their code", async () => {
    tokens.respond(() => Promise.reject(new AuthbridgeError("BrowserNotConnected", "no browser")));
    const reply = await httpRequest(port, { path: QUERY, headers: { "x-identity-header": SECRET } });
    expect(reply.status).toBe(503);
    expect(JSON.parse(reply.text)).toMatchObject({ error: { code: "BrowserNotConnected" } });
  });
});

describe("App Service dialect when disabled", () => {
  it("is not served: /msi/token is 404 NotFound", async () => {
    const clock = createFakeClock();
    const tokens = fakeTokenSource(() => Promise.resolve(makeToken(1_700_003_600)));
    const endpoint = createEndpointServer({
      tokenHandler: createTokenHandler({ cache: createTokenCache({ clock }), allowlist: createAllowlist(DEFAULT_ALLOWLIST), tokens, clock }),
      app: createAdminApp({ status: () => ({ relay: "connected", browser: true }), logger: silentLogger() }),
    });
    const port = await listen(endpoint);
    try {
      const reply = await httpRequest(port, { path: QUERY, headers: { "x-identity-header": SECRET } });
      expect(reply.status).toBe(404);
      expect(tokens.calls).toEqual([]);
    } finally {
      await close(endpoint);
    }
  });
});

describe("appServiceResponseBody", () => {
  it("echoes the resource verbatim and leaves client_id empty for a token without appid/azp", () => {
    expect(JSON.parse(appServiceResponseBody(makeToken(1_700_003_600, { accessToken: "opaque" }), "https://management.azure.com"))).toEqual({
      access_token: "opaque",
      expires_on: "1700003600",
      resource: "https://management.azure.com",
      token_type: "Bearer",
      client_id: "",
    });
  });
});
