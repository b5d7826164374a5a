export interface BackoffOptions {
  /** First delay; doubles per attempt. Default 250 ms. */
  initialDelayMs?: number;
  /** Cap on the delay. Default 5 s. */
  maxDelayMs?: number;
  /** Uniform [0, 1); injectable for tests. */
  random?: () => number;
}

export interface Backoff {
  /** The delay before the next attempt: exponential, capped, with jitter in [d/2, d]. */
  next(): number;
  /** Call after a successful connection. */
  reset(): void;
}

export const DEFAULT_RECONNECT_INITIAL_DELAY_MS = 250;
export const DEFAULT_RECONNECT_MAX_DELAY_MS = 5_000;

export function createBackoff(options: BackoffOptions = {}): Backoff {
  const initial = Math.max(1, options.initialDelayMs ?? DEFAULT_RECONNECT_INITIAL_DELAY_MS);
  const max = Math.max(initial, options.maxDelayMs ?? DEFAULT_RECONNECT_MAX_DELAY_MS);
  const random = options.random ?? Math.random;
  let attempt = 0;
  return {
    next() {
      const ceiling = Math.min(max, initial * 2 ** Math.min(attempt, 30));
      attempt += 1;
      return Math.round(ceiling / 2 + (random() * ceiling) / 2);
    },
    reset() {
      attempt = 0;
    },
  };
}
