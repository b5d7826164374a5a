import { describe, expect, it } from "vitest";
import { createOrphanWatchdog } from "../../src/cli/orphan-watchdog.js";

/** Timers run by hand: `elapse(ms)` fires every timer due by then. */
function manualTimers(): { setTimer: (fn: () => void, ms: number) => () => void; elapse(ms: number): void; pending(): number } {
  let now = 0;
  const timers = new Set<{ at: number; fn: () => void }>();
  return {
    setTimer(fn, ms) {
      const timer = { at: now + ms, fn };
      timers.add(timer);
      return () => timers.delete(timer);
    },
    elapse(ms) {
      now += ms;
      for (const timer of [...timers].sort((a, b) => a.at - b.at)) {
        if (timer.at > now) continue;
        timers.delete(timer);
        timer.fn();
      }
    },
    pending: () => timers.size,
  };
}

describe("orphan watchdog", () => {
  it("does nothing while the launcher lives, however long the relay is away", () => {
    const timers = manualTimers();
    let expired = 0;
    const watchdog = createOrphanWatchdog({ graceMs: 1_000, onExpired: () => (expired += 1), setTimer: timers.setTimer });
    watchdog.relayConnected(false);
    timers.elapse(60_000);
    expect([expired, timers.pending()]).toEqual([0, 0]);
  });

  it("expires once, graceMs after the launcher went away while the relay is away", () => {
    const timers = manualTimers();
    let expired = 0;
    const watchdog = createOrphanWatchdog({ graceMs: 1_000, onExpired: () => (expired += 1), setTimer: timers.setTimer });
    watchdog.launcherGone();
    timers.elapse(999);
    expect(expired).toBe(0);
    timers.elapse(1);
    expect(expired).toBe(1);
    watchdog.relayConnected(true);
    watchdog.relayConnected(false);
    timers.elapse(5_000);
    expect(expired).toBe(1);
  });

  it("is held off while a relay has the session, and counts the grace afresh from each loss", () => {
    const timers = manualTimers();
    let expired = 0;
    const watchdog = createOrphanWatchdog({ graceMs: 1_000, onExpired: () => (expired += 1), setTimer: timers.setTimer });
    watchdog.relayConnected(true);
    watchdog.launcherGone();
    timers.elapse(10_000);
    expect(expired).toBe(0);
    watchdog.relayConnected(false);
    timers.elapse(900);
    watchdog.relayConnected(true);
    timers.elapse(900);
    watchdog.relayConnected(false);
    timers.elapse(900);
    expect(expired).toBe(0);
    timers.elapse(100);
    expect(expired).toBe(1);
  });

  it("never fires after stop()", () => {
    const timers = manualTimers();
    let expired = 0;
    const watchdog = createOrphanWatchdog({ graceMs: 1_000, onExpired: () => (expired += 1), setTimer: timers.setTimer });
    watchdog.launcherGone();
    watchdog.stop();
    timers.elapse(5_000);
    watchdog.relayConnected(false);
    timers.elapse(5_000);
    expect([expired, timers.pending()]).toEqual([0, 0]);
  });
});
