import { z } from "zod";
import { aadError, invalidParameter, missingParameter, type AadError } from "./aad-error.js";
import type { ClientRegistry } from "./clients.js";
import { parseParams, type Params } from "./http/params.js";
import { resolveScopes } from "./scopes.js";

export type ResponseMode = "fragment" | "query";
export type Prompt = "none" | "login" | "select_account" | "consent" | "create";

/** Where an authorize answer may go: only a redirect URI registered for the client. */
export interface AuthorizeTarget {
  clientId: string;
  redirectUri: string;
}

/** A checked `/authorize` request. */
export interface AuthorizeRequest extends AuthorizeTarget {
  responseMode: ResponseMode;
  scope: string;
  state: string | undefined;
  nonce: string | undefined;
  codeChallenge: string;
  prompt: Prompt | undefined;
  loginHint: string | undefined;
  sid: string | undefined;
}

/** The parameters the login page carries in hidden fields from the GET to its POST. */
export const CARRIED_PARAMS = [
  "client_id",
  "redirect_uri",
  "response_type",
  "response_mode",
  "scope",
  "state",
  "nonce",
  "code_challenge",
  "code_challenge_method",
] as const;

const targetSchema = z.object({
  client_id: z.string().min(1).max(256),
  redirect_uri: z.string().min(1).max(2048),
});

const requestSchema = z.object({
  response_type: z.string().max(64),
  response_mode: z.string().max(32).optional(),
  scope: z.string().max(4096),
  state: z.string().max(8192).optional(),
  nonce: z.string().max(1024).optional(),
  code_challenge: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43,128}$/, "must be the base64url SHA-256 of the code verifier")
    .optional(),
  code_challenge_method: z.string().max(16).optional(),
  prompt: z.string().max(32).optional(),
  login_hint: z.string().max(320).optional(),
  sid: z.string().max(256).optional(),
});

const PROMPTS: readonly string[] = ["none", "login", "select_account", "consent", "create"] satisfies Prompt[];
const isPrompt = (value: string): value is Prompt => PROMPTS.includes(value);

export type TargetCheck = { ok: true; target: AuthorizeTarget } | { ok: false; error: AadError };

/**
 * Step one: the client and redirect URI. A failure here is shown on an error
 * page and never redirected, since the redirect URI is not trusted.
 */
export function checkTarget(params: Params, clients: ClientRegistry): TargetCheck {
  const parsed = parseParams(targetSchema, params);
  if (!parsed.ok) {
    const { param, missing, message } = parsed.issue;
    return { ok: false, error: missing ? missingParameter(param) : invalidParameter(param, message) };
  }
  const { client_id: clientId, redirect_uri: redirectUri } = parsed.value;
  if (!clients.isRegistered(clientId)) {
    return {
      ok: false,
      error: aadError(
        "unauthorized_client",
        700016,
        `Application with identifier '${clientId}' was not found in the directory. Register it with emulator.registerClient() or POST /_emulator/clients.`,
      ),
    };
  }
  if (!clients.allowsRedirect(clientId, redirectUri)) {
    return {
      ok: false,
      error: aadError(
        "invalid_request",
        50011,
        `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${clientId}'.`,
      ),
    };
  }
  return { ok: true, target: { clientId, redirectUri } };
}

export type RequestCheck = { ok: true; request: AuthorizeRequest } | { ok: false; error: AadError; responseMode: ResponseMode; state: string | undefined };

/** Step two, for a trusted target: everything else. Failures go back to the redirect URI. */
export function checkAuthorizeRequest(params: Params, target: AuthorizeTarget): RequestCheck {
  const rawState = params.state;
  const modeParam = params.response_mode;
  const responseMode: ResponseMode = modeParam === "fragment" ? "fragment" : "query";
  const fail = (error: AadError): RequestCheck => ({ ok: false, error, responseMode, state: rawState });

  const parsed = parseParams(requestSchema, params);
  if (!parsed.ok) {
    const { param, missing, message } = parsed.issue;
    return fail(missing ? missingParameter(param) : invalidParameter(param, message));
  }
  const value = parsed.value;
  if (modeParam !== undefined && modeParam !== "fragment" && modeParam !== "query") {
    return fail(aadError("invalid_request", 900144, `response_mode '${modeParam}' is not supported here; use fragment or query.`));
  }
  if (value.response_type !== "code") {
    return fail(aadError("unsupported_response_type", 700054, `response_type '${value.response_type}' is not enabled for the application; use 'code'.`));
  }
  if (value.code_challenge === undefined) {
    return fail(aadError("invalid_request", 9002325, "Proof Key for Code Exchange is required for cross-origin authorization code redemption."));
  }
  if (value.code_challenge_method !== "S256") {
    return fail(aadError("invalid_request", 501491, "The code_challenge_method must be 'S256'."));
  }
  const scopes = resolveScopes(value.scope);
  if (!scopes.ok) return fail(aadError("invalid_scope", scopes.aadsts, scopes.message));
  const prompt = value.prompt;
  if (prompt !== undefined && !isPrompt(prompt)) {
    return fail(aadError("invalid_request", 90023, `Invalid prompt value '${prompt}'.`));
  }
  return {
    ok: true,
    request: {
      ...target,
      responseMode,
      scope: value.scope,
      state: value.state,
      nonce: value.nonce,
      codeChallenge: value.code_challenge,
      prompt,
      loginHint: value.login_hint,
      sid: value.sid,
    },
  };
}

/** The redirect URI with the answer in its fragment or query string. */
export function responseUrl(redirectUri: string, mode: ResponseMode, answer: Readonly<Record<string, string | undefined>>): string {
  const fields = new URLSearchParams();
  for (const [name, value] of Object.entries(answer)) if (value !== undefined) fields.append(name, value);
  const url = new URL(redirectUri);
  if (mode === "fragment") {
    url.hash = fields.toString();
  } else {
    for (const [name, value] of fields) url.searchParams.append(name, value);
  }
  return url.toString();
}

/** An authorize error as redirect parameters. */
export function errorAnswer(error: AadError, state: string | undefined): Record<string, string | undefined> {
  return {
    error: error.error,
    error_description: `AADSTS${error.aadsts}: ${error.message}`,
    ...(error.suberror === undefined ? {} : { suberror: error.suberror }),
    state,
  };
}
