import { readFileSync } from "node:fs";
import { createServer } from "node:https";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type GenerateKeyPairResult } from "jose";

type CryptoKeyPair = GenerateKeyPairResult;

export const ISSUER = "https://login.test.invalid/tenant-a/v2.0";
export const AUDIENCE = "api://authbridge-relay";
export const TLS_CA = readFileSync(new URL("../fixtures/tls/localhost-cert.pem", import.meta.url), "utf8");
const TLS_KEY = readFileSync(new URL("../fixtures/tls/localhost-key.pem", import.meta.url), "utf8");
const KID = "test-key-1";

export interface UserTokenOptions {
  tid?: string | null;
  oid?: string | null;
  aud?: string;
  iss?: string;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
  /** Sign with a key the authority does not publish (same kid). */
  rogue?: boolean;
}

/** A stand-in for the AAD authority: an RS256 key pair and its JWKS over https (self-signed). */
export interface TestAuthority {
  jwksUri: string;
  sign(options?: UserTokenOptions): Promise<string>;
  close(): Promise<void>;
}

/** RSA key generation is slow; one pair of keys serves every authority of a test file. */
let keyPairs: Promise<{ trusted: CryptoKeyPair; rogue: CryptoKeyPair }> | undefined;
function testKeys(): Promise<{ trusted: CryptoKeyPair; rogue: CryptoKeyPair }> {
  keyPairs ??= Promise.all([generateKeyPair("RS256", { extractable: true }), generateKeyPair("RS256")]).then(([trusted, rogue]) => ({ trusted, rogue }));
  return keyPairs;
}

export async function startTestAuthority(): Promise<TestAuthority> {
  const { trusted, rogue } = await testKeys();
  const jwk = { ...(await exportJWK(trusted.publicKey)), kid: KID, alg: "RS256", use: "sig" };
  const server = createServer({ key: TLS_KEY, cert: TLS_CA }, (req, res) => {
    if (req.url !== "/keys") {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the JWKS server has no port");
  const { port } = address;

  return {
    jwksUri: `https://127.0.0.1:${port}/keys`,
    sign: (options = {}) => signUserToken(options.rogue === true ? rogue.privateKey : trusted.privateKey, options),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function signUserToken(key: CryptoKey, options: UserTokenOptions): Promise<string> {
  const claims: Record<string, string> = { upn: "user@test.invalid" };
  const tid = options.tid === undefined ? "tenant-a" : options.tid;
  const oid = options.oid === undefined ? "user-a" : options.oid;
  if (tid !== null) claims.tid = tid;
  if (oid !== null) claims.oid = oid;
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "RS256", kid: KID, typ: "JWT" })
    .setIssuer(options.iss ?? ISSUER)
    .setAudience(options.aud ?? AUDIENCE)
    .setIssuedAt(now - 60)
    .setNotBefore(now - 60)
    .setExpirationTime(now + (options.expiresIn ?? 3600))
    .sign(key);
}
