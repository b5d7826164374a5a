import { AuthbridgeError } from "@authbridge/protocol";
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWTPayload } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { createUserVerifier, type UserVerifier } from "../../src/auth/verify-user.js";
import { FakeClock } from "../helpers/relay.js";

const ISSUER = "https://login.test.invalid/t/v2.0";
const AUDIENCE = "api://relay";
const NOW = 1_800_000_000_000;

let sign: (claims: JWTPayload, alg?: "RS256" | "HS256") => Promise<string>;
let signRogue: (claims: JWTPayload) => Promise<string>;
let verifier: UserVerifier;
const clock = new FakeClock(NOW);

const seconds = (ms: number): number => Math.floor(ms / 1000);
const valid = (): JWTPayload => ({ iss: ISSUER, aud: AUDIENCE, tid: "t1", oid: "o1", iat: seconds(NOW) - 10, exp: seconds(NOW) + 3600 });

beforeAll(async () => {
  const keys = await generateKeyPair("RS256");
  const rogue = await generateKeyPair("RS256");
  const jwks = createLocalJWKSet({ keys: [{ ...(await exportJWK(keys.publicKey)), kid: "k1", alg: "RS256" }] });
  sign = (claims, alg = "RS256") =>
    alg === "HS256"
      ? new SignJWT(claims).setProtectedHeader({ alg, kid: "k1" }).sign(new TextEncoder().encode("a-shared-secret-of-enough-length!"))
      : new SignJWT(claims).setProtectedHeader({ alg, kid: "k1" }).sign(keys.privateKey);
  signRogue = (claims) => new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: "k1" }).sign(rogue.privateKey);
  verifier = createUserVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: jwks, clock });
});

async function refusal(authorization: string | undefined): Promise<{ code: string; message: string }> {
  try {
    await verifier.verify(authorization);
  } catch (error) {
    if (error instanceof AuthbridgeError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error("the token was accepted");
}

describe("user token verification", () => {
  it("returns the tenant and object id of a valid RS256 token", async () => {
    await expect(verifier.verify(`Bearer ${await sign(valid())}`)).resolves.toEqual({ tid: "t1", oid: "o1" });
  });

  it.each([
    ["no header", undefined, /missing Authorization/],
    ["an empty header", "", /missing Authorization/],
    ["a Basic credential", "Basic dXNlcjpwdw==", /not a Bearer token/],
    ["garbage", "Bearer not-a-jwt", /not a well-formed JWT/],
  ])("refuses %s", async (_label, header, message) => {
    const result = await refusal(header);
    expect(result.code).toBe("Unauthorized");
    expect(result.message).toMatch(message);
  });

  it("refuses a token signed by another key, without echoing it", async () => {
    const token = await signRogue(valid());
    const result = await refusal(`Bearer ${token}`);
    expect(result).toEqual({ code: "Unauthorized", message: "the token's signature does not verify" });
    expect(result.message).not.toContain(token);
  });

  it("refuses a token for another audience", async () => {
    expect(await refusal(`Bearer ${await sign({ ...valid(), aud: "api://other" })}`)).toEqual({ code: "Unauthorized", message: `the token's audience is not ${AUDIENCE}` });
  });

  it("refuses a token from another issuer", async () => {
    expect((await refusal(`Bearer ${await sign({ ...valid(), iss: "https://evil.invalid" })}`)).message).toMatch(/not issued by the configured authority/);
  });

  it("refuses an expired token by the injected clock, allowing 30 s of skew", async () => {
    const token = await sign({ ...valid(), exp: seconds(NOW) - 20 });
    await expect(verifier.verify(`Bearer ${token}`)).resolves.toEqual({ tid: "t1", oid: "o1" });
    const expired = await sign({ ...valid(), exp: seconds(NOW) - 31 });
    expect(await refusal(`Bearer ${expired}`)).toEqual({ code: "Unauthorized", message: "the token has expired; sign in again" });
  });

  it("refuses a token that is not valid yet", async () => {
    expect((await refusal(`Bearer ${await sign({ ...valid(), nbf: seconds(NOW) + 600 })}`)).message).toMatch(/not valid yet/);
  });

  it("refuses a token without exp", async () => {
    const { exp: _exp, ...claims } = valid();
    expect((await refusal(`Bearer ${await sign(claims)}`)).code).toBe("Unauthorized");
  });

  it.each(["oid", "tid"])("refuses a token without %s", async (claim) => {
    const claims = valid();
    delete claims[claim];
    expect(await refusal(`Bearer ${await sign(claims)}`)).toEqual({
      code: "Unauthorized",
      message: `the token has no valid "${claim}" claim; a user token with tid and oid is required`,
    });
  });

  it("refuses a non-string oid", async () => {
    expect((await refusal(`Bearer ${await sign({ ...valid(), oid: 42 })}`)).message).toMatch(/"oid" claim/);
  });

  it("refuses an HS256 token", async () => {
    expect((await refusal(`Bearer ${await sign(valid(), "HS256")}`)).code).toBe("Unauthorized");
  });
});
