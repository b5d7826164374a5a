export interface EmulatorStats {
  tokenRequests: number;
  authorizeRequests: number;
  /** Access tokens issued, by resource (`aud`). */
  tokensIssued: Record<string, number>;
  /** Total time (ms) the token endpoint spent on its requests, from routing to the last byte written. */
  tokenHandlingMs: number;
}

export interface StatsCounter {
  tokenRequest(): void;
  authorizeRequest(): void;
  tokenIssued(resource: string): void;
  tokenHandled(ms: number): void;
  snapshot(): EmulatorStats;
  reset(): void;
}

export function createStatsCounter(): StatsCounter {
  let tokenRequests = 0;
  let authorizeRequests = 0;
  let issued = new Map<string, number>();
  let tokenHandlingMs = 0;
  return {
    tokenRequest: () => void tokenRequests++,
    authorizeRequest: () => void authorizeRequests++,
    tokenIssued: (resource) => void issued.set(resource, (issued.get(resource) ?? 0) + 1),
    tokenHandled: (ms) => void (tokenHandlingMs += ms),
    snapshot: () => ({ tokenRequests, authorizeRequests, tokensIssued: Object.fromEntries(issued), tokenHandlingMs }),
    reset() {
      tokenRequests = 0;
      tokenHandlingMs = 0;
      authorizeRequests = 0;
      issued = new Map();
    },
  };
}
