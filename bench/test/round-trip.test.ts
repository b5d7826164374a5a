import { describe, expect, it } from "vitest";
import { roundTrip } from "../src/scenarios/round-trip.js";

describe("cold round-trip scenario (smoke, headless Chromium)", () => {
  it("makes every measured request a full browser round trip while cycling a few audiences, and one for the stampede", async () => {
    // coldSample throws unless each request made exactly one emulator token request: with the
    // short token lifetime, a second request for the same audience must not be served from a cache.
    const result = await roundTrip({ requests: 4, warmup: 1, audiences: 2, stampede: 5 });
    expect(result.total.count).toBe(4);
    expect(result.overhead.p50).toBeGreaterThan(0);
    expect(result.stampede).toMatchObject({ requests: 5, ok: 5, sameToken: true, emulatorTokens: 1, portalRoundTrips: 1 });
    expect(result.rows.map((row) => row.metric)).toContain("bridge overhead p50/p90/p99");
  });
});
