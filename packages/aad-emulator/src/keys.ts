import { calculateJwkThumbprint, exportJWK, generateKeyPair, type CryptoKey, type JWK } from "jose";

export const SIGNING_ALG = "RS256";

export interface SigningKeys {
  kid: string;
  privateKey: CryptoKey;
  /** The public half as served in the JWKS document. */
  publicJwk: JWK;
  jwks: { keys: JWK[] };
}

/** A fresh RS256 key pair for this emulator run; the kid is the key's JWK thumbprint. */
export async function createSigningKeys(): Promise<SigningKeys> {
  const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALG, { modulusLength: 2048 });
  const exported = await exportJWK(publicKey);
  const { kty, n, e } = exported;
  if (kty !== "RSA" || n === undefined || e === undefined) throw new Error("generateKeyPair returned a key that is not RSA");
  const kid = await calculateJwkThumbprint({ kty, n, e });
  const publicJwk: JWK = { kty, use: "sig", alg: SIGNING_ALG, kid, n, e };
  return { kid, privateKey, publicJwk, jwks: { keys: [publicJwk] } };
}
