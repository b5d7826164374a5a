import { describe, expect, it } from "vitest";
import { PendingRequests } from "../src/pending-requests.js";

describe("PendingRequests", () => {
  const request = (id: string, deadline: number) => ({ id, resource: "https://vault.azure.net", deadline, startedAt: 0 });

  it("hands out each id once", () => {
    let now = 0;
    const pending = new PendingRequests(() => now);
    expect(pending.add(request("a", 100))).toBe("added");
    expect(pending.add(request("a", 100))).toBe("duplicate");
    now = 50;
    expect(pending.take("a")?.id).toBe("a");
    expect(pending.take("a")).toBeUndefined();
    expect(pending.size).toBe(0);
  });

  it("refuses to hand out a request past its deadline, and forgets it", () => {
    let now = 0;
    const pending = new PendingRequests(() => now);
    pending.add(request("a", 100));
    now = 101;
    expect(pending.take("a")).toBeUndefined();
    expect(pending.size).toBe(0);
  });

  it("expires only what is past its deadline", () => {
    let now = 0;
    const pending = new PendingRequests(() => now);
    pending.add(request("a", 100));
    expect(pending.expire("a")).toBeUndefined();
    now = 101;
    expect(pending.expire("a")?.id).toBe("a");
    expect(pending.size).toBe(0);
  });

  it("does not add a request that is already late", () => {
    const pending = new PendingRequests(() => 200);
    expect(pending.add(request("a", 100))).toBe("expired");
    expect(pending.size).toBe(0);
  });
});
