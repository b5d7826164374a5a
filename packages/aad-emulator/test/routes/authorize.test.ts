import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/server.js";
import {
  ALICE,
  authorizeParams,
  CLIENT_ID,
  claimsOf,
  getAuthorize,
  hiddenFields,
  pkcePair,
  REDIRECT_URI,
  redirectAnswer,
  signIn,
  signInForTokens,
  startTestEmulator,
} from "../helpers/flow.js";
import { header, postForm, stringField } from "../helpers/https-client.js";
import { anyString } from "../helpers/matchers.js";

describe("authorize", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startTestEmulator();
  });
  afterAll(() => emulator.close());

  describe("interactive sign-in", () => {
    it("shows a login form with the user name prefilled from login_hint and the request in hidden fields", async () => {
      const pkce = pkcePair();
      const page = await getAuthorize(emulator, authorizeParams(pkce, { login_hint: "bob@contoso.test", state: 'a"b<c>' }));
      expect(page.status).toBe(200);
      expect(header(page, "content-type")).toMatch(/^text\/html/);
      expect(page.text).toMatch(/<input id="username" name="username" type="text" autocomplete="username" value="bob@contoso.test"/);
      expect(page.text).toMatch(/<input id="password" name="password" type="password"/);
      expect(page.text).toMatch(/<button type="submit" id="submit">Sign in<\/button>/);
      expect(hiddenFields(page.text)).toMatchObject({
        client_id: CLIENT_ID,
        redirect_uri: REDIRECT_URI,
        code_challenge: pkce.challenge,
        nonce: "nonce-123",
        state: 'a"b<c>',
      });
      expect(page.text).not.toContain("alice-password");
    });

    it("forbids framing the login page", async () => {
      const page = await getAuthorize(emulator, authorizeParams(pkcePair()));
      expect(header(page, "x-frame-options")).toBe("DENY");
      expect(header(page, "content-security-policy")).toContain("frame-ancestors 'none'");
    });

    it("redirects to the redirect URI with code, client_info, state and session_state in the fragment", async () => {
      const { loginResponse, answer } = await signIn(emulator);
      expect(loginResponse.status).toBe(302);
      expect(header(loginResponse, "location")?.startsWith(`${REDIRECT_URI}#`)).toBe(true);
      expect(answer.get("code")).toMatch(/^[A-Za-z0-9_-]{40,}$/);
      expect(answer.get("state")).toBe("eyJpZCI6IjEyMyJ9|app-state");
      expect(answer.get("session_state")).toEqual(anyString());
      expect(JSON.parse(Buffer.from(answer.get("client_info") ?? "", "base64url").toString())).toEqual({ uid: ALICE.oid, utid: emulator.tenantId });
      expect(header(loginResponse, "set-cookie")).toMatch(/aad_emulator_session=[^;]+; Path=\/; HttpOnly; Secure; SameSite=None/);
    });

    it("puts the code in the query string for response_mode=query", async () => {
      const { loginResponse } = await signIn(emulator, { overrides: { response_mode: "query" } });
      const location = new URL(header(loginResponse, "location") ?? "");
      expect(location.hash).toBe("");
      expect(location.searchParams.get("code")).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    });

    it("re-renders the form with 401 and 'Wrong user name or password' for a wrong password", async () => {
      const { loginResponse } = await signIn(emulator, { password: "bob-password" });
      expect(loginResponse.status).toBe(401);
      expect(header(loginResponse, "location")).toBeUndefined();
      expect(loginResponse.text).toContain("Wrong user name or password");
      expect(loginResponse.text).toContain(`value="${ALICE.username}"`);
      expect(hiddenFields(loginResponse.text).client_id).toBe(CLIENT_ID);
    });

    it("shows the login page even to a browser that has a session cookie", async () => {
      const { loginResponse } = await signIn(emulator);
      const cookie = (header(loginResponse, "set-cookie") ?? "").split(";")[0] ?? "";
      const page = await getAuthorize(emulator, authorizeParams(pkcePair()), { Cookie: cookie });
      expect(page.status).toBe(200);
      expect(page.text).toContain("Sign in</button>");
    });
  });

  describe("refusals that must not redirect", () => {
    it("refuses an unregistered redirect_uri on an error page", async () => {
      const page = await getAuthorize(emulator, authorizeParams(pkcePair(), { redirect_uri: "https://attacker.example/callback" }));
      expect(page.status).toBe(400);
      expect(header(page, "location")).toBeUndefined();
      expect(page.text).toContain("AADSTS50011");
    });

    it("refuses a redirect_uri registered for another client", async () => {
      emulator.registerClient({ clientId: "other-client", redirectUris: ["http://localhost:9999/other"] });
      const page = await getAuthorize(emulator, authorizeParams(pkcePair(), { redirect_uri: "http://localhost:9999/other" }));
      expect(page.status).toBe(400);
      expect(header(page, "location")).toBeUndefined();
    });

    it("refuses an unknown client_id on an error page", async () => {
      const page = await getAuthorize(emulator, authorizeParams(pkcePair(), { client_id: "not-registered" }));
      expect(page.status).toBe(400);
      expect(header(page, "location")).toBeUndefined();
      expect(page.text).toContain("AADSTS700016");
    });

    it("refuses a login POST whose hidden redirect_uri was changed", async () => {
      const pkce = pkcePair();
      const page = await getAuthorize(emulator, authorizeParams(pkce));
      const response = await postForm(emulator, `/${emulator.tenantId}/oauth2/v2.0/authorize/login`, {
        ...hiddenFields(page.text),
        redirect_uri: "https://attacker.example/callback",
        username: ALICE.username,
        password: ALICE.password,
      });
      expect(response.status).toBe(400);
      expect(header(response, "location")).toBeUndefined();
    });

    it("refuses a duplicated redirect_uri", async () => {
      const params = authorizeParams(pkcePair());
      params.append("redirect_uri", "https://attacker.example/callback");
      const page = await getAuthorize(emulator, params);
      expect(page.status).toBe(400);
      expect(header(page, "location")).toBeUndefined();
    });
  });

  describe("errors returned to the app", () => {
    it("requires PKCE: no code_challenge answers invalid_request in the fragment", async () => {
      const response = await getAuthorize(emulator, authorizeParams(pkcePair(), { code_challenge: undefined }));
      expect(response.status).toBe(302);
      const answer = redirectAnswer(response);
      expect(answer.get("error")).toBe("invalid_request");
      expect(answer.get("error_description")).toMatch(/^AADSTS9002325: /);
      expect(answer.get("state")).toBe("eyJpZCI6IjEyMyJ9|app-state");
    });

    it("requires code_challenge_method S256", async () => {
      const response = await getAuthorize(emulator, authorizeParams(pkcePair(), { code_challenge_method: "plain" }));
      expect(redirectAnswer(response).get("error")).toBe("invalid_request");
    });

    it("refuses response_type=token", async () => {
      const response = await getAuthorize(emulator, authorizeParams(pkcePair(), { response_type: "token" }));
      expect(redirectAnswer(response).get("error")).toBe("unsupported_response_type");
    });

    it("refuses scopes for two resources with invalid_scope", async () => {
      const response = await getAuthorize(
        emulator,
        authorizeParams(pkcePair(), { scope: "https://management.azure.com//.default https://vault.azure.net/.default openid" }),
      );
      expect(redirectAnswer(response).get("error")).toBe("invalid_scope");
    });
  });

  describe("prompt=none (the hidden iframe, which sends no cookies)", () => {
    it("approves a known login_hint with a code and no cookie", async () => {
      const response = await getAuthorize(emulator, authorizeParams(pkcePair(), { prompt: "none", login_hint: ALICE.username }));
      expect(response.status).toBe(302);
      const answer = redirectAnswer(response);
      expect(answer.get("code")).toMatch(/^[A-Za-z0-9_-]{40,}$/);
      expect(answer.get("state")).toBe("eyJpZCI6IjEyMyJ9|app-state");
      expect(answer.get("error")).toBeNull();
    });

    it("answers login_required (with state) without login_hint or sid", async () => {
      const response = await getAuthorize(emulator, authorizeParams(pkcePair(), { prompt: "none" }));
      expect(response.status).toBe(302);
      const answer = redirectAnswer(response);
      expect(answer.get("error")).toBe("login_required");
      expect(answer.get("error_description")).toMatch(/^AADSTS50058: /);
      expect(answer.get("state")).toBe("eyJpZCI6IjEyMyJ9|app-state");
      expect(answer.get("code")).toBeNull();
    });

    it("answers login_required for a login_hint that is not a user", async () => {
      const response = await getAuthorize(emulator, authorizeParams(pkcePair(), { prompt: "none", login_hint: "mallory@contoso.test" }));
      expect(redirectAnswer(response).get("error")).toBe("login_required");
    });

    it("approves the sid from an id token it issued, for that user", async () => {
      const tokens = await signInForTokens(emulator);
      const sid = claimsOf(stringField(tokens, "id_token")).sid;
      expect(typeof sid).toBe("string");
      const response = await getAuthorize(emulator, authorizeParams(pkcePair(), { prompt: "none", sid: String(sid) }));
      const answer = redirectAnswer(response);
      expect(answer.get("code")).toMatch(/^[A-Za-z0-9_-]{40,}$/);
      expect(JSON.parse(Buffer.from(answer.get("client_info") ?? "", "base64url").toString())).toMatchObject({ uid: ALICE.oid });
    });

    it("answers login_required for a sid it never issued", async () => {
      const response = await getAuthorize(emulator, authorizeParams(pkcePair(), { prompt: "none", sid: "made-up-session" }));
      expect(redirectAnswer(response).get("error")).toBe("login_required");
    });
  });
});
