import { describe, expect, it, vi } from "vitest";
import { createPendingRequests } from "../../src/sessions/pending-requests.js";
import { FakeClock } from "../helpers/relay.js";

function setup(max = 2) {
  const clock = new FakeClock(0);
  const onTimeout = vi.fn<(id: string) => void>();
  const pending = createPendingRequests({ clock, maxPending: max, maxWaitMs: 10_000, onTimeout });
  return { clock, onTimeout, pending };
}

describe("pending requests", () => {
  it("time out at their deadline and remember the id so a late answer is dropped", () => {
    vi.useFakeTimers();
    try {
      const { pending, onTimeout } = setup();
      expect(pending.add("a", 500)).toBe("added");
      vi.advanceTimersByTime(499);
      expect(onTimeout).not.toHaveBeenCalled();
      vi.advanceTimersByTime(1);
      expect(onTimeout).toHaveBeenCalledWith("a");
      expect(pending.settle("a")).toBe(false);
      expect(pending.timedOut("a")).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it("cap the wait however far the deadline is", () => {
    vi.useFakeTimers();
    try {
      const { pending, onTimeout } = setup();
      pending.add("a", 10 ** 12);
      vi.advanceTimersByTime(10_000);
      expect(onTimeout).toHaveBeenCalledWith("a");
    } finally {
      vi.useRealTimers();
    }
  });

  it("refuse duplicates, overflow and past deadlines", () => {
    const { pending, clock } = setup(2);
    clock.advance(1_000);
    expect(pending.add("old", 1_000)).toBe("expired");
    expect(pending.add("a", 5_000)).toBe("added");
    expect(pending.add("a", 5_000)).toBe("duplicate");
    expect(pending.add("b", 5_000)).toBe("added");
    expect(pending.add("c", 5_000)).toBe("full");
    expect(pending.drain().sort()).toEqual(["a", "b"]);
    expect(pending.size).toBe(0);
  });

  it("settle once", () => {
    const { pending, onTimeout } = setup();
    pending.add("a", 5_000);
    expect(pending.settle("a")).toBe(true);
    expect(pending.settle("a")).toBe(false);
    expect(pending.timedOut("a")).toBe(false);
    expect(onTimeout).not.toHaveBeenCalled();
  });
});
