import { decodeJwt, type JWTPayload } from "jose";
import { randomBytes } from "node:crypto";
import { s256Challenge } from "../../src/pkce.js";
import { startEmulator, type Emulator, type EmulatorOptions } from "../../src/server.js";
import { DEMO_USERS, type TestUser } from "../../src/users.js";
import { header, httpsRequest, jsonObject, postForm, stringField, type HttpResponse } from "./https-client.js";

export const CLIENT_ID = "6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9";
export const REDIRECT_URI = "http://localhost:5173/redirect.html";
export const ARM_SCOPE = "https://management.azure.com//.default openid profile offline_access";

function firstDemoUser(): TestUser {
  const user = DEMO_USERS[0];
  if (user === undefined) throw new Error("no demo users");
  return user;
}
export const ALICE = firstDemoUser();

/** An emulator on a free port with the test client registered. */
export async function startTestEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const emulator = await startEmulator(options);
  emulator.registerClient({ clientId: CLIENT_ID, redirectUris: [REDIRECT_URI] });
  return emulator;
}

export interface Pkce {
  verifier: string;
  challenge: string;
}

export function pkcePair(): Pkce {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: s256Challenge(verifier) };
}

export const authorizePath = (emulator: Emulator): string => `/${emulator.tenantId}/oauth2/v2.0/authorize`;
export const tokenPath = (emulator: Emulator): string => `/${emulator.tenantId}/oauth2/v2.0/token`;

/** Authorize parameters as MSAL browser sends them; `undefined` removes one. */
export function authorizeParams(pkce: Pkce, overrides: Record<string, string | undefined> = {}): URLSearchParams {
  const base: Record<string, string | undefined> = {
    client_id: CLIENT_ID,
    scope: "openid profile offline_access",
    redirect_uri: REDIRECT_URI,
    client_info: "1",
    response_mode: "fragment",
    response_type: "code",
    nonce: "nonce-123",
    state: "eyJpZCI6IjEyMyJ9|app-state",
    code_challenge: pkce.challenge,
    code_challenge_method: "S256",
    claims: '{"access_token":{"xms_cc":{"values":["CP1"]}}}',
    ...overrides,
  };
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(base)) if (value !== undefined) params.set(name, value);
  return params;
}

export const getAuthorize = (emulator: Emulator, params: URLSearchParams, headers: Record<string, string> = {}): Promise<HttpResponse> =>
  httpsRequest(emulator, `${authorizePath(emulator)}?${params.toString()}`, { headers });

/** The hidden inputs of the login form, unescaped. */
export function hiddenFields(html: string): Record<string, string> {
  const unescape = (text: string): string =>
    text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    fields[unescape(match[1] ?? "")] = unescape(match[2] ?? "");
  }
  return fields;
}

export function formAction(html: string): string {
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  if (action === undefined) throw new Error("no login form on the page");
  return action.replace(/&amp;/g, "&");
}

/** The answer parameters in a redirect's fragment (or query when `mode` says so). */
export function redirectAnswer(response: HttpResponse, mode: "fragment" | "query" = "fragment"): URLSearchParams {
  const location = header(response, "location");
  if (location === undefined) throw new Error(`expected a redirect, got ${response.status}: ${response.text.slice(0, 300)}`);
  const url = new URL(location);
  return mode === "fragment" ? new URLSearchParams(url.hash.slice(1)) : url.searchParams;
}

export interface SignInResult {
  code: string;
  answer: URLSearchParams;
  pkce: Pkce;
  loginResponse: HttpResponse;
}

/** Drives the login page like a person: GET authorize, then POST the form with the user's credentials. */
export async function signIn(
  emulator: Emulator,
  options: { user?: TestUser; password?: string; overrides?: Record<string, string | undefined> } = {},
): Promise<SignInResult> {
  const user = options.user ?? ALICE;
  const pkce = pkcePair();
  const page = await getAuthorize(emulator, authorizeParams(pkce, options.overrides));
  if (page.status !== 200) throw new Error(`login page answered ${page.status}: ${page.text.slice(0, 300)}`);
  const loginResponse = await postForm(emulator, formAction(page.text), {
    ...hiddenFields(page.text),
    username: user.username,
    password: options.password ?? user.password,
  });
  const answer = loginResponse.status === 302 ? redirectAnswer(loginResponse) : new URLSearchParams();
  return { code: answer.get("code") ?? "", answer, pkce, loginResponse };
}

export const redeemCode = (emulator: Emulator, code: string, verifier: string, extra: Record<string, string> = {}): Promise<HttpResponse> =>
  postForm(emulator, `${tokenPath(emulator)}?client-request-id=8a4b2c6d-1e3f-4a5b-9c7d-0e1f2a3b4c5d`, {
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    scope: "openid profile offline_access",
    code,
    code_verifier: verifier,
    grant_type: "authorization_code",
    client_info: "1",
    "X-AnchorMailbox": "Oid:0a11ce00-0000-4000-8000-00000000a11c@7d0c6b1e-5a4f-4c3b-9e2d-8f1a0b9c7e6d",
    ...extra,
  });

export const refresh = (emulator: Emulator, refreshToken: string, scope: string, extra: Record<string, string> = {}): Promise<HttpResponse> =>
  postForm(emulator, tokenPath(emulator), {
    client_id: CLIENT_ID,
    scope,
    refresh_token: refreshToken,
    grant_type: "refresh_token",
    client_info: "1",
    ...extra,
  });

/** A signed-in session's token response from the code grant. */
export async function signInForTokens(emulator: Emulator, user: TestUser = ALICE): Promise<Record<string, unknown>> {
  const { code, pkce } = await signIn(emulator, { user });
  const response = await redeemCode(emulator, code, pkce.verifier);
  if (response.status !== 200) throw new Error(`code grant answered ${response.status}: ${response.text}`);
  return jsonObject(response);
}

/** An access token for `scope` via the refresh grant (as MSAL's acquireTokenSilent does). */
export async function accessTokenFor(emulator: Emulator, scope: string, user: TestUser = ALICE): Promise<string> {
  const tokens = await signInForTokens(emulator, user);
  const response = await refresh(emulator, stringField(tokens, "refresh_token"), scope);
  if (response.status !== 200) throw new Error(`refresh grant answered ${response.status}: ${response.text}`);
  return stringField(jsonObject(response), "access_token");
}

export const claimsOf = (jwt: string): JWTPayload => decodeJwt(jwt);
