import { describe, expect, it } from "vitest";
import { s256Challenge, verifiesChallenge } from "../src/pkce.js";

describe("PKCE S256", () => {
  it("is the unpadded base64url SHA-256 of the verifier (value computed with Python's hashlib)", () => {
    expect(s256Challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r7wW1gFWFOEjXk")).toBe("bwWFMyPfdG9qreDhH2lmftFx_dFeLDalzcT1gb_j68g");
  });

  it("accepts the matching verifier and refuses any other", () => {
    const challenge = "bwWFMyPfdG9qreDhH2lmftFx_dFeLDalzcT1gb_j68g";
    expect(verifiesChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r7wW1gFWFOEjXk", challenge)).toBe(true);
    expect(verifiesChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r7wW1gFWFOEjXx", challenge)).toBe(false);
  });

  it("refuses a verifier shorter than 43 characters even if it hashes right", () => {
    expect(verifiesChallenge("short", s256Challenge("short"))).toBe(false);
  });
});
