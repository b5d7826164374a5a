import type { Clock } from "../clock.js";

export type AddOutcome = "added" | "duplicate" | "full" | "expired";

/**
 * Token requests forwarded to the browser and not answered yet. Each has a
 * deadline timer; when it fires the request is dropped and `onTimeout` runs.
 * Ids that timed out are remembered (bounded) so a late answer is dropped
 * quietly instead of being reported as unknown.
 */
export interface PendingRequests {
  add(id: string, deadline: number): AddOutcome;
  /** Clears a pending request; false when `id` is not pending. */
  settle(id: string): boolean;
  timedOut(id: string): boolean;
  /** Clears every pending request and returns their ids. */
  drain(): string[];
  readonly size: number;
}

export interface PendingRequestsOptions {
  clock: Clock;
  /** Most requests pending at once. */
  maxPending: number;
  /** Upper bound on a deadline, however far away the agent sets it. */
  maxWaitMs: number;
  onTimeout(id: string): void;
}

export function createPendingRequests(options: PendingRequestsOptions): PendingRequests {
  const { clock, maxPending, maxWaitMs } = options;
  const timers = new Map<string, NodeJS.Timeout>();
  const expired = new Set<string>();

  function rememberExpired(id: string): void {
    expired.add(id);
    if (expired.size > maxPending) {
      const oldest = expired.values().next();
      if (oldest.done !== true) expired.delete(oldest.value);
    }
  }

  return {
    add(id, deadline) {
      if (timers.has(id)) return "duplicate";
      if (timers.size >= maxPending) return "full";
      const wait = Math.min(deadline - clock.now(), maxWaitMs);
      if (wait <= 0) return "expired";
      expired.delete(id);
      const timer = setTimeout(() => {
        timers.delete(id);
        rememberExpired(id);
        options.onTimeout(id);
      }, wait);
      timer.unref();
      timers.set(id, timer);
      return "added";
    },
    settle(id) {
      const timer = timers.get(id);
      if (timer === undefined) return false;
      clearTimeout(timer);
      timers.delete(id);
      return true;
    },
    timedOut(id) {
      return expired.has(id);
    },
    drain() {
      const ids = [...timers.keys()];
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      return ids;
    },
    get size() {
      return timers.size;
    },
  };
}
