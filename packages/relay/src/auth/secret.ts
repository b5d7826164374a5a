import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** A crypto-random secret or identifier, base64url without padding. */
export function randomSecret(bytes: number): string {
  return randomBytes(bytes).toString("base64url");
}

/** sha256 of a secret: what the relay keeps instead of the secret itself. */
export function digestSecret(secret: string): Buffer {
  return createHash("sha256").update(secret, "utf8").digest();
}

/** Constant-time comparison of a presented secret with a stored digest. */
export function secretMatches(presented: string, digest: Buffer): boolean {
  const candidate = digestSecret(presented);
  return candidate.length === digest.length && timingSafeEqual(candidate, digest);
}
