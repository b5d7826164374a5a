import { decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/server.js";
import { accessTokenFor, ARM_SCOPE, startTestEmulator } from "../helpers/flow.js";
import { header, httpsRequest, jsonObject } from "../helpers/https-client.js";
import { anyString, arrayContaining, objectContaining } from "../helpers/matchers.js";

describe("discovery", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startTestEmulator();
  });
  afterAll(() => emulator.close());

  it("serves the openid-configuration MSAL needs, pointing at this server, readable cross-origin", async () => {
    const response = await httpsRequest(emulator, `/${emulator.tenantId}/v2.0/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    expect(header(response, "access-control-allow-origin")).toBe("*");
    const base = `${emulator.url}/${emulator.tenantId}`;
    expect(jsonObject(response)).toMatchObject({
      issuer: `${base}/v2.0`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      token_endpoint: `${base}/oauth2/v2.0/token`,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_modes_supported: arrayContaining(["fragment", "query"]),
      id_token_signing_alg_values_supported: ["RS256"],
    });
  });

  it("serves the same document without /v2.0 in the path and as authorityMetadata", async () => {
    const withVersion = await httpsRequest(emulator, `/${emulator.tenantId}/v2.0/.well-known/openid-configuration`);
    const without = await httpsRequest(emulator, `/${emulator.tenantId}/.well-known/openid-configuration`);
    expect(without.status).toBe(200);
    expect(jsonObject(without)).toEqual(jsonObject(withVersion));
    expect(JSON.parse(emulator.authorityMetadata)).toEqual(jsonObject(withVersion));
  });

  it("publishes the URLs a client configures", () => {
    expect(emulator.url).toBe(`https://localhost:${emulator.port}`);
    expect(emulator.authority).toBe(`${emulator.url}/${emulator.tenantId}/v2.0`);
    expect(emulator.issuer).toBe(emulator.authority);
    expect(emulator.jwksUri).toBe(`${emulator.url}/${emulator.tenantId}/discovery/v2.0/keys`);
    expect(emulator.knownAuthority).toBe(`localhost:${emulator.port}`);
    expect(emulator.armUrl).toBe(`${emulator.url}/`);
  });

  it("answers for the common alias but refuses an unknown tenant with AADSTS90002", async () => {
    expect((await httpsRequest(emulator, "/common/v2.0/.well-known/openid-configuration")).status).toBe(200);
    const unknown = await httpsRequest(emulator, "/00000000-0000-0000-0000-000000000000/v2.0/.well-known/openid-configuration");
    expect(unknown.status).toBe(400);
    expect(jsonObject(unknown)).toMatchObject({ error: "invalid_tenant", error_codes: [90002] });
  });

  it("serves an RS256 JWKS whose kid signs the tokens", async () => {
    const response = await httpsRequest(emulator, new URL(emulator.jwksUri).pathname);
    expect(response.status).toBe(200);
    expect(header(response, "access-control-allow-origin")).toBe("*");
    const jwks = jsonObject(response);
    expect(jwks.keys).toEqual([objectContaining({ kty: "RSA", alg: "RS256", use: "sig", kid: anyString(), n: anyString(), e: "AQAB" })]);
    expect(JSON.stringify(jwks)).not.toMatch(/"d"|"p"|"q"/);
    const token = await accessTokenFor(emulator, ARM_SCOPE);
    const kid = Array.isArray(jwks.keys) ? jwks.keys.map((key: unknown) => (typeof key === "object" && key !== null && "kid" in key ? key.kid : undefined)) : [];
    expect(kid).toContain(decodeProtectedHeader(token).kid);
  });
});
