import { describe, expect, it } from "vitest";
import { createFaultSwitches } from "../src/faults.js";

describe("fault switches", () => {
  it("start with no faults", () => {
    expect(createFaultSwitches().get()).toEqual({ refuseResources: [], interactionRequired: [], delayMs: 0, failStatus: null });
  });

  it("merge a partial update and keep the other switches", () => {
    const faults = createFaultSwitches();
    faults.set({ delayMs: 50 });
    faults.set({ failStatus: 503 });
    expect(faults.get()).toMatchObject({ delayMs: 50, failStatus: 503 });
    faults.set({ failStatus: null });
    expect(faults.get()).toMatchObject({ delayMs: 50, failStatus: null });
  });

  it("match a refused resource with or without its trailing slash", () => {
    const faults = createFaultSwitches();
    faults.set({ refuseResources: ["https://vault.azure.net"] });
    expect(faults.refuses("https://vault.azure.net/")).toBe(true);
    expect(faults.refuses("https://management.azure.com/")).toBe(false);
  });

  it("refuse an invalid update without changing anything", () => {
    const faults = createFaultSwitches();
    expect(() => faults.set({ delayMs: -1 })).toThrow(/invalid faults/);
    expect(() => faults.set({ failStatus: 200 })).toThrow(/invalid faults/);
    expect(faults.get().delayMs).toBe(0);
  });

  it("hand out copies, so callers cannot change the switches behind its back", () => {
    const faults = createFaultSwitches();
    faults.get().refuseResources.push("https://vault.azure.net");
    expect(faults.refuses("https://vault.azure.net")).toBe(false);
  });

  it("reset to no faults", () => {
    const faults = createFaultSwitches();
    faults.set({ interactionRequired: ["https://management.azure.com/"], delayMs: 10 });
    faults.reset();
    expect(faults.get()).toEqual({ refuseResources: [], interactionRequired: [], delayMs: 0, failStatus: null });
  });
});
