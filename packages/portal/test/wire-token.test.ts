import { describe, expect, it } from "vitest";
import { decodeJwtClaims, scopeForResource, toWireToken } from "../src/wire-token.js";
import { fakeJwt } from "./clock.js";

describe("scopeForResource", () => {
  it("appends /.default to the resource verbatim", () => {
    expect(scopeForResource("https://management.azure.com/")).toBe("https://management.azure.com//.default");
    expect(scopeForResource("https://vault.azure.net")).toBe("https://vault.azure.net/.default");
    expect(scopeForResource("00000003-0000-0000-c000-000000000000")).toBe("00000003-0000-0000-c000-000000000000/.default");
  });
});

describe("toWireToken", () => {
  it("converts MSAL's expiresOn Date to epoch seconds and takes nbf from the JWT", () => {
    const accessToken = fakeJwt({ aud: "https://management.azure.com/", nbf: 1_700_000_000, exp: 1_700_009_999 });
    expect(toWireToken({ accessToken, expiresOn: new Date(1_700_003_600_999) }, "https://management.azure.com/")).toEqual({
      ok: true,
      token: { accessToken, expiresOn: 1_700_003_600, notBefore: 1_700_000_000, tokenType: "Bearer", resource: "https://management.azure.com/" },
    });
  });

  it("omits notBefore for a token that is not a JWT", () => {
    const wire = toWireToken({ accessToken: "opaque-token", expiresOn: new Date(1_700_003_600_000) }, "https://vault.azure.net");
    expect(wire).toEqual({
      ok: true,
      token: { accessToken: "opaque-token", expiresOn: 1_700_003_600, tokenType: "Bearer", resource: "https://vault.azure.net" },
    });
    expect(wire.ok && "notBefore" in wire.token).toBe(false);
  });

  it("falls back to the JWT's exp when MSAL has no expiry, and fails without either", () => {
    const accessToken = fakeJwt({ exp: 1_700_001_234 });
    expect(toWireToken({ accessToken, expiresOn: null }, "r")).toMatchObject({ ok: true, token: { expiresOn: 1_700_001_234 } });
    expect(toWireToken({ accessToken: "opaque", expiresOn: null }, "r")).toMatchObject({ ok: false, code: "Internal" });
  });

  it("ignores a nbf that is not an epoch-seconds integer", () => {
    const wire = toWireToken({ accessToken: fakeJwt({ nbf: "soon" }), expiresOn: new Date(0) }, "r");
    expect(wire).toMatchObject({ ok: true, token: { expiresOn: 0 } });
    expect(wire.ok && wire.token.notBefore).toBeUndefined();
  });
});

describe("decodeJwtClaims", () => {
  it.each(["", "a.b", "a.b.c.d", "a.!!!.c", `x.${btoa("[1]")}.y`, `x.${btoa("not json")}.y`])("returns undefined for %j", (token) => {
    expect(decodeJwtClaims(token)).toBeUndefined();
  });

  it("decodes UTF-8 claims", () => {
    expect(decodeJwtClaims(fakeJwt({ name: "Zoë" }))).toEqual({ name: "Zoë" });
  });
});
