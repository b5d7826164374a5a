import { describe, expect, it } from "vitest";
import { AuthbridgeError, errorBody, statusForCode } from "../src/index.js";

describe("errors", () => {
  it("maps our codes to their status and AAD codes to 400", () => {
    expect(statusForCode("BrowserNotConnected")).toBe(503);
    expect(statusForCode("Timeout")).toBe(504);
    expect(statusForCode("InteractionRequired")).toBe(401);
    expect(statusForCode("invalid_resource")).toBe(400);
    expect(statusForCode("toString")).toBe(400);
  });

  it("carries code and status on the error and in the body", () => {
    const error = new AuthbridgeError("AudienceNotSupported", "nope");
    expect([error.code, error.status, error.message]).toEqual(["AudienceNotSupported", 400, "nope"]);
    expect(errorBody(error.code, error.message)).toEqual({ error: { code: "AudienceNotSupported", message: "nope" } });
  });
});
