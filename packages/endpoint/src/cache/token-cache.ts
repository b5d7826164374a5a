import { CACHE_SKEW_SECONDS, type Token } from "@authbridge/protocol";
import { epochSeconds, type Clock } from "../clock.js";

/** A token and when the endpoint received it (epoch ms). */
export interface CachedToken {
  readonly token: Token;
  readonly receivedAt: number;
}

export interface CacheLookup extends CachedToken {
  /** True when served from memory without waiting for a fetch. */
  readonly fromCache: boolean;
}

export interface TokenCacheOptions {
  clock: Clock;
  /** A token is served while it has more than this many seconds left. */
  skewSeconds?: number;
}

export interface TokenCache {
  /**
   * A token for `resource` (the exact string the client sent): from memory
   * while it has more than the skew left, else from `fetch`. Concurrent misses
   * for one resource share one fetch; a failed fetch is not remembered.
   */
  get(resource: string, fetch: () => Promise<Token>): Promise<CacheLookup>;
  /** The entry for `resource` if it is still servable. */
  peek(resource: string): CachedToken | undefined;
  clear(): void;
  /** Number of stored entries (servable or not). */
  readonly size: number;
}

export function createTokenCache(options: TokenCacheOptions): TokenCache {
  const { clock } = options;
  const skewSeconds = options.skewSeconds ?? CACHE_SKEW_SECONDS;
  const entries = new Map<string, CachedToken>();
  const inFlight = new Map<string, Promise<CachedToken>>();

  function servable(entry: CachedToken | undefined): entry is CachedToken {
    return entry !== undefined && entry.token.expiresOn - epochSeconds(clock.now()) > skewSeconds;
  }

  function fetchOnce(resource: string, fetch: () => Promise<Token>): Promise<CachedToken> {
    const pending = inFlight.get(resource);
    if (pending !== undefined) return pending;
    // Callbacks run asynchronously, so `started` is registered before it can settle.
    const started: Promise<CachedToken> = Promise.resolve()
      .then(fetch)
      .then((token) => {
        const entry: CachedToken = { token, receivedAt: clock.now() };
        entries.set(resource, entry);
        return entry;
      })
      .finally(() => {
        if (inFlight.get(resource) === started) inFlight.delete(resource);
      });
    inFlight.set(resource, started);
    return started;
  }

  return {
    async get(resource, fetch) {
      const entry = entries.get(resource);
      if (servable(entry)) return { ...entry, fromCache: true };
      const fetched = await fetchOnce(resource, fetch);
      return { ...fetched, fromCache: false };
    },
    peek(resource) {
      const entry = entries.get(resource);
      return servable(entry) ? entry : undefined;
    },
    clear() {
      entries.clear();
    },
    get size() {
      return entries.size;
    },
  };
}
