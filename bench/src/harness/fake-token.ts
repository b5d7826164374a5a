import type { Token } from "@authbridge/protocol";

/** An allowlisted audience the cache-hit and relay scenarios ask for. */
export const BENCH_RESOURCE = "https://management.azure.com/";

/**
 * A stand-in token of a real AAD token's size (~1.6 KiB). It is not a JWT and
 * grants nothing, so nothing secret can reach the bench's output.
 */
export function benchToken(): Token {
  const now = Math.floor(Date.now() / 1000);
  return { accessToken: `bench-not-a-token.${"x".repeat(1600)}`, expiresOn: now + 3600, notBefore: now, tokenType: "Bearer", resource: BENCH_RESOURCE };
}
