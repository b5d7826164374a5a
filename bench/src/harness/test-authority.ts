import { createServer } from "node:http";
import { exportJWK, generateKeyPair, SignJWT } from "jose";

/** The relay's audience in the bench (as in the local stack). */
export const BENCH_AUDIENCE = "api://authbridge-relay";
export const BENCH_ISSUER = "https://login.bench.invalid/bench-tenant/v2.0";
const KID = "bench-key-1";

export interface TestAuthority {
  jwksUri: string;
  /** A user JWT for the relay's API (one user: the bench raises maxSessionsPerUser instead). */
  userToken: string;
  close(): Promise<void>;
}

/** A stand-in for the AAD authority: one RS256 key, its JWKS over loopback http, one signed user token. */
export async function startTestAuthority(): Promise<TestAuthority> {
  const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: KID, alg: "RS256", use: "sig" }] });
  const server = createServer((req, res) => {
    if (req.url !== "/keys") res.writeHead(404).end();
    else res.writeHead(200, { "content-type": "application/json" }).end(jwks);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the JWKS server has no port");
  const now = Math.floor(Date.now() / 1000);
  const userToken = await new SignJWT({ tid: "bench-tenant", oid: "bench-user", upn: "bench@bench.invalid" })
    .setProtectedHeader({ alg: "RS256", kid: KID, typ: "JWT" })
    .setIssuer(BENCH_ISSUER)
    .setAudience(BENCH_AUDIENCE)
    .setIssuedAt(now - 60)
    .setNotBefore(now - 60)
    .setExpirationTime(now + 3600)
    .sign(privateKey);
  return {
    jwksUri: `http://127.0.0.1:${address.port}/keys`,
    userToken,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
