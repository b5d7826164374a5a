import { describe, expect, it } from "vitest";
import { relayForwarding } from "../src/scenarios/relay-forwarding.js";

describe("relay-forwarding scenario (smoke)", () => {
  it("delivers every frame through the real relay and through the raw ws forwarder", async () => {
    const sequential = 20;
    const result = await relayForwarding({ window: 4, durationMs: 300, sequential, rounds: 1 });
    for (const run of [result.relay, result.raw]) {
      // driveTraffic resolves only once every request sent has its response back.
      expect(run.loaded.roundTrips).toBeGreaterThan(0);
      expect(run.loaded.latencies).toHaveLength(run.loaded.roundTrips);
      expect(run.sequential.roundTrips).toBe(sequential);
    }
    expect(result.rows[0]?.metric).toBe("frames/s (4 requests in flight)");
  });
});
