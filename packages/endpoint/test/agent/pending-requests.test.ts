import { describe, expect, it } from "vitest";
import { createPendingRequests } from "../../src/agent/pending-requests.js";

describe("pending requests", () => {
  it("resolves by id once, and forgets the id", async () => {
    const pending = createPendingRequests<string>();
    const answer = pending.add("a", 1_000, () => new Error("timeout"));
    expect(pending.resolve("a", "token")).toBe(true);
    expect(pending.resolve("a", "again")).toBe(false);
    await expect(answer).resolves.toBe("token");
    expect(pending.size).toBe(0);
  });

  it("rejects at the deadline and then ignores the late answer", async () => {
    const pending = createPendingRequests<string>();
    const answer = pending.add("a", 20, () => new Error("deadline passed"));
    await expect(answer).rejects.toThrow("deadline passed");
    expect(pending.has("a")).toBe(false);
    expect(pending.resolve("a", "late")).toBe(false);
  });

  it("rejects everything on rejectAll and refuses duplicate ids", async () => {
    const pending = createPendingRequests<string>();
    const one = pending.add("a", 1_000, () => new Error("t"));
    const two = pending.add("b", 1_000, () => new Error("t"));
    await expect(pending.add("a", 1_000, () => new Error("t"))).rejects.toThrow("duplicate");
    pending.rejectAll(() => new Error("closed"));
    await expect(one).rejects.toThrow("closed");
    await expect(two).rejects.toThrow("closed");
    expect(pending.size).toBe(0);
  });
});
