import type { Token } from "@authbridge/protocol";
import { describe, expect, it } from "vitest";
import { tokenResponseBody } from "../../src/http/responses.js";

/** The body as a plain JSON.stringify of the Cloud Shell object: what tokenResponseBody must equal byte for byte. */
function stringified(token: Token, receivedAt: number, resource: string, nowMs: number): string {
  return JSON.stringify({
    access_token: token.accessToken,
    refresh_token: "",
    expires_in: String(Math.max(0, token.expiresOn - Math.floor(nowMs / 1000))),
    expires_on: String(token.expiresOn),
    not_before: String(token.notBefore ?? Math.floor(receivedAt / 1000)),
    resource,
    token_type: "Bearer",
  });
}

describe("tokenResponseBody", () => {
  const nowMs = 1_800_000_000_123;
  const tokens: Token[] = [
    { accessToken: "eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJ4In0.c2ln", expiresOn: 1_800_003_600, notBefore: 1_799_999_000, tokenType: "Bearer", resource: "https://management.azure.com/" },
    { accessToken: 'odd "quoted" \\ token\u2028é\n', expiresOn: 1_799_000_000, tokenType: "Bearer", resource: "https://vault.azure.net" },
  ];

  it("is byte for byte the JSON.stringify of the Cloud Shell object, escapes and all", () => {
    for (const token of tokens) {
      for (const resource of ["https://management.azure.com/", 'https://x.example/"q"\\']) {
        expect(tokenResponseBody(token, 1_799_990_000_000, resource, nowMs)).toBe(stringified(token, 1_799_990_000_000, resource, nowMs));
      }
    }
  });

  it("counts expires_in from the reply time on every call (the cached part is only the token)", () => {
    const [token] = tokens;
    if (token === undefined) throw new Error("no token");
    const first = JSON.parse(tokenResponseBody(token, nowMs, "r", nowMs)) as Record<string, string>;
    const later = JSON.parse(tokenResponseBody(token, nowMs, "r", nowMs + 10_000)) as Record<string, string>;
    expect(Number(first.expires_in) - Number(later.expires_in)).toBe(10);
    expect(later.access_token).toBe(token.accessToken);
  });
});
