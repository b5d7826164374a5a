import { describe, expect, it } from "vitest";
import { sessions } from "../src/scenarios/sessions.js";

describe("sessions scenario (smoke)", () => {
  it("pairs 50 sessions in one relay process (the per-user limit raised by option) and measures its memory", async () => {
    const result = await sessions({ levels: [50], warmup: 5 });
    const [level] = result.levels;
    expect(level?.sessions).toBe(50);
    expect(level?.memory.sessions).toBe(55);
    expect(level?.memory.heapUsed).toBeGreaterThan(0);
    expect(result.capped).toBeUndefined();
    expect(result.rows[0]?.metric).toBe("memory per idle paired session @ 50");
  });
});
