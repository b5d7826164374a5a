import { describe, expect, it } from "vitest";
import { cacheHit } from "../src/scenarios/cache-hit.js";

// The smoke version of `npm run bench`: tiny sizes, correctness only (never speed).
// Children run from bench/dist, so the workspace must be built first (npm test does).
describe("cache-hit scenario (smoke)", () => {
  it("both servers answer every request with 200 and the token JSON", async () => {
    const result = await cacheHit({ connections: 2, seconds: 1, rounds: 1 });
    for (const run of [result.endpoint, result.bare]) {
      expect(run.requestsPerSec).toBeGreaterThan(0);
      expect(run.non2xx).toBe(0);
      expect(run.errors).toBe(0);
      expect(run.cpuMicrosPerRequest).toBeGreaterThan(0);
    }
    expect(result.rows.map((row) => row.metric)).toEqual(["requests/s (2 connections)", "p99 latency", "server CPU per request (steadier)"]);
  });
});
