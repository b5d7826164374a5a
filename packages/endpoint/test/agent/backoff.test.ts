import { describe, expect, it } from "vitest";
import { createBackoff } from "../../src/agent/backoff.js";

describe("reconnect backoff", () => {
  it("doubles from 250 ms to a 5 s cap, jittered within [d/2, d]", () => {
    const high = createBackoff({ random: () => 0.999999 });
    expect(Array.from({ length: 8 }, () => high.next())).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000, 5000]);
    const low = createBackoff({ random: () => 0 });
    expect(Array.from({ length: 3 }, () => low.next())).toEqual([125, 250, 500]);
  });

  it("starts over after a successful connection", () => {
    const backoff = createBackoff({ initialDelayMs: 10, maxDelayMs: 100, random: () => 0.999999 });
    backoff.next();
    backoff.next();
    backoff.reset();
    expect(backoff.next()).toBe(10);
  });
});
