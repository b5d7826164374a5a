import { AuthError, BrowserAuthError, InteractionRequiredAuthError, ServerError } from "@azure/msal-browser";
import { describe, expect, it } from "vitest";
import { classifyAcquireError, sanitiseErrorCode } from "../src/msal-errors.js";

describe("sanitiseErrorCode", () => {
  it.each([
    ["invalid_resource", "invalid_resource"],
    ["AADSTS500011", "AADSTS500011"],
    ["bad code/with:stuff", "bad_code_with_stuff"],
    ["x".repeat(100), "x".repeat(64)],
    ["", "AadError"],
    ["---", "AadError"],
    ["<script>", "_script_"],
  ])("%j → %j", (input, output) => {
    expect(sanitiseErrorCode(input)).toBe(output);
    expect(output).toMatch(/^[A-Za-z0-9_.]{1,64}$/);
  });
});

describe("classifyAcquireError", () => {
  it("asks for interaction on InteractionRequiredAuthError", () => {
    expect(classifyAcquireError(new InteractionRequiredAuthError("interaction_required", "corr", "AADSTS50076: MFA"))).toEqual({
      kind: "interaction",
    });
  });

  it("passes an AAD refusal through with its code", () => {
    const error = new ServerError("invalid_resource", "corr", "AADSTS500011: The resource principal was not found.", "", "500011", 400);
    expect(classifyAcquireError(error)).toEqual({ kind: "error", code: "invalid_resource", message: "AADSTS500011: The resource principal was not found." });
  });

  it("keeps only AAD's description from MSAL's wrapped server message", () => {
    const wrapped =
      "Error(s): 500011 - Timestamp: 2026-11-26 13:48:57Z - Description: AADSTS500011: The resource principal named https://storage.azure.com/ was not found. - Correlation ID: abc - Trace ID: def";
    expect(classifyAcquireError(new ServerError("invalid_resource", "corr", wrapped, "", "500011", 400))).toEqual({
      kind: "error",
      code: "invalid_resource",
      message: "AADSTS500011: The resource principal named https://storage.azure.com/ was not found.",
    });
  });

  it("sanitises odd codes", () => {
    expect(classifyAcquireError(new AuthError("weird code!", "corr", "msg"))).toEqual({ kind: "error", code: "weird_code_", message: "msg" });
  });

  it("maps network failures and 5xx answers to AadUnavailable", () => {
    expect(classifyAcquireError(new BrowserAuthError("post_request_failed", "corr"))).toMatchObject({ kind: "error", code: "AadUnavailable" });
    expect(classifyAcquireError(new BrowserAuthError("no_network_connectivity", "corr"))).toMatchObject({ code: "AadUnavailable" });
    expect(classifyAcquireError(new ServerError("server_error", "corr", "boom", "", "", 503))).toMatchObject({ code: "AadUnavailable" });
    expect(classifyAcquireError(new ServerError("whatever", "corr", "boom", "", "", 500))).toMatchObject({ code: "AadUnavailable" });
    expect(classifyAcquireError(new TypeError("Failed to fetch"))).toMatchObject({ code: "AadUnavailable" });
  });

  it("maps MSAL's throttled replay of a 5xx (numeric codes, no status) to AadUnavailable, not a refusal", () => {
    // What msal-common's ThrottlingUtils.preProcess throws for 60 s after a 5xx answer.
    const replay = new ServerError("90033", "corr", "AADSTS90033: The service is temporarily unavailable.", "");
    expect(classifyAcquireError(replay)).toMatchObject({ kind: "error", code: "AadUnavailable" });
    // A refusal from the authorize endpoint also has no status, but a word code: still passed through.
    expect(classifyAcquireError(new ServerError("access_denied", "corr", "denied", ""))).toMatchObject({ kind: "error", code: "access_denied" });
  });

  it("keeps messages short", () => {
    const failure = classifyAcquireError(new AuthError("invalid_grant", "corr", "x".repeat(5_000)));
    expect(failure.kind === "error" && failure.message.length).toBe(500);
  });

  it("answers Internal for anything that is not an MSAL error", () => {
    expect(classifyAcquireError("nope")).toEqual({ kind: "error", code: "Internal", message: "Token acquisition failed." });
  });
});
