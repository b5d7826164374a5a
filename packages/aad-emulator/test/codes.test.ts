import { describe, expect, it } from "vitest";
import { CODE_LIFETIME_MS, createCodeStore, type CodeGrant } from "../src/codes.js";
import { createFakeClock } from "./helpers/fake-clock.js";

const grant: CodeGrant = {
  clientId: "client",
  redirectUri: "http://localhost/redirect",
  codeChallenge: "c".repeat(43),
  scope: "openid",
  nonce: "n",
  oid: "oid",
  sid: "sid",
};

describe("authorization codes", () => {
  it("redeem once, then report the code as already redeemed", () => {
    const codes = createCodeStore(createFakeClock());
    const code = codes.issue(grant);
    expect(codes.redeem(code)).toEqual({ ok: true, grant });
    expect(codes.redeem(code)).toEqual({ ok: false, reason: "redeemed" });
  });

  it("expire after five minutes", () => {
    const clock = createFakeClock();
    const codes = createCodeStore(clock);
    const code = codes.issue(grant);
    clock.advance(CODE_LIFETIME_MS);
    expect(codes.redeem(code)).toEqual({ ok: false, reason: "expired" });
  });

  it("are still good just before five minutes", () => {
    const clock = createFakeClock();
    const codes = createCodeStore(clock);
    const code = codes.issue(grant);
    clock.advance(CODE_LIFETIME_MS - 1);
    expect(codes.redeem(code).ok).toBe(true);
  });

  it("do not know codes they never issued", () => {
    expect(createCodeStore(createFakeClock()).redeem("made-up")).toEqual({ ok: false, reason: "unknown" });
  });
});
