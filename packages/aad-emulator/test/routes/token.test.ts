import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CODE_LIFETIME_MS } from "../../src/codes.js";
import type { Emulator } from "../../src/server.js";
import { DEMO_USERS } from "../../src/users.js";
import { createFakeClock, type FakeClock } from "../helpers/fake-clock.js";
import {
  ALICE,
  ARM_SCOPE,
  CLIENT_ID,
  claimsOf,
  getAuthorize,
  authorizeParams,
  pkcePair,
  redeemCode,
  redirectAnswer,
  refresh,
  REDIRECT_URI,
  signIn,
  signInForTokens,
  startTestEmulator,
  tokenPath,
} from "../helpers/flow.js";
import { header, httpsRequest, jsonObject, postForm, stringField } from "../helpers/https-client.js";
import { anyString, matching } from "../helpers/matchers.js";

const BOB = DEMO_USERS[1] ?? ALICE;

describe("token endpoint", () => {
  let emulator: Emulator;
  let clock: FakeClock;
  beforeAll(async () => {
    clock = createFakeClock();
    emulator = await startTestEmulator({ clock, accessTokenLifetimeSec: 900 });
  });
  afterAll(() => emulator.close());

  describe("authorization_code grant", () => {
    it("redeems a code with the right verifier for the full MSAL response, readable cross-origin", async () => {
      const { code, pkce } = await signIn(emulator);
      const response = await redeemCode(emulator, code, pkce.verifier);
      expect(response.status).toBe(200);
      expect(header(response, "access-control-allow-origin")).toBe("*");
      expect(header(response, "cache-control")).toBe("no-store");
      const body = jsonObject(response);
      expect(body).toMatchObject({
        token_type: "Bearer",
        scope: "openid profile offline_access",
        expires_in: 900,
        ext_expires_in: 900,
        access_token: anyString(),
        refresh_token: anyString(),
        id_token: anyString(),
      });
      expect(JSON.parse(Buffer.from(stringField(body, "client_info"), "base64url").toString())).toEqual({ uid: ALICE.oid, utid: emulator.tenantId });
    });

    it("issues an id token for the client that echoes the nonce and names the user", async () => {
      const { code, pkce } = await signIn(emulator, { user: BOB, overrides: { nonce: "0194e0c5-nonce" } });
      const body = jsonObject(await redeemCode(emulator, code, pkce.verifier));
      const now = Math.floor(clock.now() / 1000);
      expect(claimsOf(stringField(body, "id_token"))).toMatchObject({
        aud: CLIENT_ID,
        iss: emulator.issuer,
        nonce: "0194e0c5-nonce",
        tid: emulator.tenantId,
        oid: BOB.oid,
        sub: anyString(),
        preferred_username: BOB.username,
        name: BOB.name,
        sid: anyString(),
        iat: now,
        nbf: now,
        exp: now + 3600,
      });
    });

    it("issues a Microsoft Graph access token for OIDC-only scopes with the user's claims", async () => {
      const { code, pkce } = await signIn(emulator);
      const body = jsonObject(await redeemCode(emulator, code, pkce.verifier));
      const now = Math.floor(clock.now() / 1000);
      const claims = claimsOf(stringField(body, "access_token"));
      expect(claims).toMatchObject({
        aud: "https://graph.microsoft.com",
        iss: emulator.issuer,
        tid: emulator.tenantId,
        oid: ALICE.oid,
        upn: ALICE.username,
        unique_name: ALICE.username,
        preferred_username: ALICE.username,
        name: ALICE.name,
        appid: CLIENT_ID,
        azp: CLIENT_ID,
        iat: now,
        nbf: now,
        exp: now + 900,
      });
      expect(claims.jti).toEqual(anyString());
      expect(claims.uti).toEqual(anyString());
    });

    it("refuses a code verifier that does not match the challenge (PKCE)", async () => {
      const { code } = await signIn(emulator);
      const response = await redeemCode(emulator, code, pkcePair().verifier);
      expect(response.status).toBe(400);
      expect(jsonObject(response)).toMatchObject({ error: "invalid_grant", error_codes: [501481] });
    });

    it("refuses a code the second time, even after a good first use", async () => {
      const { code, pkce } = await signIn(emulator);
      expect((await redeemCode(emulator, code, pkce.verifier)).status).toBe(200);
      const again = await redeemCode(emulator, code, pkce.verifier);
      expect(again.status).toBe(400);
      expect(jsonObject(again)).toMatchObject({ error: "invalid_grant", error_codes: [54005] });
    });

    it("refuses a code older than five minutes", async () => {
      const { code, pkce } = await signIn(emulator);
      clock.advance(CODE_LIFETIME_MS + 1000);
      const response = await redeemCode(emulator, code, pkce.verifier);
      expect(response.status).toBe(400);
      expect(jsonObject(response)).toMatchObject({ error: "invalid_grant", error_codes: [70008] });
    });

    it("refuses a code redeemed with another redirect_uri", async () => {
      emulator.registerClient({ clientId: CLIENT_ID, redirectUris: ["http://localhost:5173/other.html"] });
      const { code, pkce } = await signIn(emulator);
      const response = await redeemCode(emulator, code, pkce.verifier, { redirect_uri: "http://localhost:5173/other.html" });
      expect(response.status).toBe(400);
      expect(jsonObject(response)).toMatchObject({ error: "invalid_grant" });
    });

    it("refuses a code redeemed by another client", async () => {
      emulator.registerClient({ clientId: "second-client", redirectUris: [REDIRECT_URI] });
      const { code, pkce } = await signIn(emulator);
      const response = await redeemCode(emulator, code, pkce.verifier, { client_id: "second-client" });
      expect(jsonObject(response)).toMatchObject({ error: "invalid_grant" });
    });

    it("redeems a code from prompt=none the same way", async () => {
      const pkce = pkcePair();
      const silent = await getAuthorize(emulator, authorizeParams(pkce, { prompt: "none", login_hint: ALICE.username, nonce: "silent-nonce" }));
      const code = redirectAnswer(silent).get("code") ?? "";
      const body = jsonObject(await redeemCode(emulator, code, pkce.verifier));
      expect(claimsOf(stringField(body, "id_token"))).toMatchObject({ nonce: "silent-nonce", oid: ALICE.oid });
    });
  });

  describe("refresh_token grant", () => {
    it("gives aud https://management.azure.com/ for https://management.azure.com//.default and echoes the scope verbatim", async () => {
      const tokens = await signInForTokens(emulator);
      const response = await refresh(emulator, stringField(tokens, "refresh_token"), ARM_SCOPE);
      expect(response.status).toBe(200);
      const body = jsonObject(response);
      expect(body.scope).toBe(ARM_SCOPE);
      expect(body.expires_in).toBe(900);
      expect(body.refresh_token).toEqual(anyString());
      expect(claimsOf(stringField(body, "access_token"))).toMatchObject({
        aud: "https://management.azure.com/",
        scp: "user_impersonation",
        oid: ALICE.oid,
        tid: emulator.tenantId,
      });
    });

    it("gives the app id URI as aud for an api:// permission", async () => {
      const tokens = await signInForTokens(emulator);
      const body = jsonObject(await refresh(emulator, stringField(tokens, "refresh_token"), "api://authbridge-relay/.default"));
      expect(claimsOf(stringField(body, "access_token")).aud).toBe("api://authbridge-relay");
    });

    it("gives Microsoft Graph for a bare permission such as User.Read", async () => {
      const tokens = await signInForTokens(emulator);
      const body = jsonObject(await refresh(emulator, stringField(tokens, "refresh_token"), "User.Read openid profile offline_access"));
      expect(claimsOf(stringField(body, "access_token"))).toMatchObject({ aud: "https://graph.microsoft.com", scp: "User.Read" });
    });

    it("refuses an unknown refresh token with invalid_grant", async () => {
      const response = await refresh(emulator, "not-a-refresh-token", ARM_SCOPE);
      expect(response.status).toBe(400);
      expect(jsonObject(response)).toMatchObject({ error: "invalid_grant" });
    });

    it("refuses a refresh token presented by another client", async () => {
      emulator.registerClient({ clientId: "third-client", redirectUris: [REDIRECT_URI] });
      const tokens = await signInForTokens(emulator);
      const response = await refresh(emulator, stringField(tokens, "refresh_token"), ARM_SCOPE, { client_id: "third-client" });
      expect(jsonObject(response)).toMatchObject({ error: "invalid_grant" });
    });
  });

  describe("errors", () => {
    it("answer in Entra ID's JSON shape, echoing client-request-id as correlation_id", async () => {
      const response = await postForm(emulator, `${tokenPath(emulator)}?client-request-id=0d9e8f7a-6b5c-4d3e-8f2a-1b0c9d8e7f6a`, {
        grant_type: "authorization_code",
        client_id: CLIENT_ID,
      });
      expect(response.status).toBe(400);
      expect(header(response, "access-control-allow-origin")).toBe("*");
      const body = jsonObject(response);
      expect(body).toEqual({
        error: "invalid_request",
        error_description: matching(/^AADSTS900144: The request body must contain the following parameter: 'code'\./),
        error_codes: [900144],
        timestamp: matching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/),
        trace_id: matching(/^[0-9a-f-]{36}$/),
        correlation_id: "0d9e8f7a-6b5c-4d3e-8f2a-1b0c9d8e7f6a",
      });
    });

    it("refuse an unknown client", async () => {
      const response = await postForm(emulator, tokenPath(emulator), { grant_type: "refresh_token", client_id: "nobody", refresh_token: "x", scope: "openid" });
      expect(jsonObject(response)).toMatchObject({ error: "unauthorized_client", error_codes: [700016] });
    });

    it("refuse an unsupported grant type", async () => {
      const response = await postForm(emulator, tokenPath(emulator), { grant_type: "password", client_id: CLIENT_ID });
      expect(jsonObject(response)).toMatchObject({ error: "unsupported_grant_type" });
    });

    it("refuse a request without grant_type", async () => {
      const response = await postForm(emulator, tokenPath(emulator), { client_id: CLIENT_ID });
      expect(jsonObject(response)).toMatchObject({ error: "invalid_request", error_codes: [900144] });
    });

    it("answer a CORS preflight", async () => {
      const response = await httpsRequest(emulator, tokenPath(emulator), { method: "OPTIONS", headers: { Origin: "http://localhost:5173" } });
      expect(response.status).toBe(204);
      expect(header(response, "access-control-allow-origin")).toBe("*");
    });
  });
});
