import type { Clock } from "./clock.js";
import { createExpiringMap } from "./expiring-map.js";
import { opaqueToken } from "./random.js";

/** Entra ID gives single-page apps 24-hour refresh tokens. */
export const REFRESH_TOKEN_LIFETIME_SEC = 24 * 3600;

export interface RefreshGrant {
  clientId: string;
  oid: string;
  sid: string;
}

export interface RefreshTokenStore {
  issue(grant: RefreshGrant): string;
  lookup(refreshToken: string): RefreshGrant | undefined;
}

/** Opaque refresh tokens; each grant returns a new one and older ones stay valid until they expire, as on Entra ID. */
export function createRefreshTokenStore(clock: Clock): RefreshTokenStore {
  const tokens = createExpiringMap<RefreshGrant>(clock, REFRESH_TOKEN_LIFETIME_SEC * 1000);
  return {
    issue(grant) {
      const token = opaqueToken(64);
      tokens.set(token, grant);
      return token;
    },
    lookup: (refreshToken) => tokens.get(refreshToken),
  };
}
