export interface EmulatorStats {
  tokenRequests: number;
  authorizeRequests: number;
  /** Access tokens issued, by resource (`aud`). */
  tokensIssued: Record<string, number>;
}

export interface StatsCounter {
  tokenRequest(): void;
  authorizeRequest(): void;
  tokenIssued(resource: string): void;
  snapshot(): EmulatorStats;
  reset(): void;
}

export function createStatsCounter(): StatsCounter {
  let tokenRequests = 0;
  let authorizeRequests = 0;
  let issued = new Map<string, number>();
  return {
    tokenRequest: () => void tokenRequests++,
    authorizeRequest: () => void authorizeRequests++,
    tokenIssued: (resource) => void issued.set(resource, (issued.get(resource) ?? 0) + 1),
    snapshot: () => ({ tokenRequests, authorizeRequests, tokensIssued: Object.fromEntries(issued) }),
    reset() {
      tokenRequests = 0;
      authorizeRequests = 0;
      issued = new Map();
    },
  };
}
