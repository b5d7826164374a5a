/** Wall-clock time, injectable so tests can move it. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Whole epoch seconds for an epoch-milliseconds instant. */
export function epochSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}
