import type { Clock } from "../../src/clock.js";

export interface FakeClock extends Clock {
  advance(ms: number): void;
}

export function createFakeClock(start = Date.now()): FakeClock {
  let now = start;
  return {
    now: () => now,
    advance(ms) {
      now += ms;
    },
  };
}
