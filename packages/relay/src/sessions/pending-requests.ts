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
  return new LazyPendingRequests(options);
}

/**
 * A class (methods shared on the prototype) whose map and set are created on
 * first use: most sessions sit idle, and one set of closures plus an empty Map
 * and Set per session was a measurable part of an idle session's memory.
 */
class LazyPendingRequests implements PendingRequests {
  readonly #options: PendingRequestsOptions;
  #timers: Map<string, NodeJS.Timeout> | undefined;
  #expired: Set<string> | undefined;

  constructor(options: PendingRequestsOptions) {
    this.#options = options;
  }

  add(id: string, deadline: number): AddOutcome {
    const { clock, maxPending, maxWaitMs } = this.#options;
    const timers = (this.#timers ??= new Map());
    if (timers.has(id)) return "duplicate";
    if (timers.size >= maxPending) return "full";
    const wait = Math.min(deadline - clock.now(), maxWaitMs);
    if (wait <= 0) return "expired";
    this.#expired?.delete(id);
    const timer = setTimeout(() => {
      timers.delete(id);
      this.#rememberExpired(id);
      this.#options.onTimeout(id);
    }, wait);
    timer.unref();
    timers.set(id, timer);
    return "added";
  }

  settle(id: string): boolean {
    const timer = this.#timers?.get(id);
    if (timer === undefined) return false;
    clearTimeout(timer);
    this.#timers?.delete(id);
    return true;
  }

  timedOut(id: string): boolean {
    return this.#expired?.has(id) === true;
  }

  drain(): string[] {
    const timers = this.#timers;
    if (timers === undefined) return [];
    const ids = [...timers.keys()];
    for (const timer of timers.values()) clearTimeout(timer);
    timers.clear();
    return ids;
  }

  get size(): number {
    return this.#timers?.size ?? 0;
  }

  #rememberExpired(id: string): void {
    const expired = (this.#expired ??= new Set());
    expired.add(id);
    if (expired.size > this.#options.maxPending) {
      const oldest = expired.values().next();
      if (oldest.done !== true) expired.delete(oldest.value);
    }
  }
}
