/** A relayed `token.request` waiting for the portal's answer. */
export interface PendingRequest {
  readonly id: string;
  readonly resource: string;
  /** Epoch ms after which an answer is no longer accepted. */
  readonly deadline: number;
  readonly startedAt: number;
}

/**
 * Requests the console has forwarded to the portal and not yet answered.
 * An id is answerable once, and only until its deadline: a replayed or late
 * `token.response` finds nothing here and is dropped.
 */
export class PendingRequests {
  readonly #entries = new Map<string, PendingRequest>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Adds a request unless its id is already pending or its deadline has passed. */
  add(request: PendingRequest): "added" | "duplicate" | "expired" {
    if (this.#entries.has(request.id)) return "duplicate";
    if (this.#isExpired(request)) return "expired";
    this.#entries.set(request.id, request);
    return "added";
  }

  /** Removes and returns the request when it is pending and still within its deadline. */
  take(id: string): PendingRequest | undefined {
    const entry = this.#entries.get(id);
    if (entry === undefined) return undefined;
    this.#entries.delete(id);
    return this.#isExpired(entry) ? undefined : entry;
  }

  /** Removes and returns the request if it is past its deadline (the timer path). */
  expire(id: string): PendingRequest | undefined {
    const entry = this.#entries.get(id);
    if (entry === undefined || !this.#isExpired(entry)) return undefined;
    this.#entries.delete(id);
    return entry;
  }

  /** Removes and returns everything (the socket closed). */
  clear(): PendingRequest[] {
    const all = [...this.#entries.values()];
    this.#entries.clear();
    return all;
  }

  #isExpired(request: PendingRequest): boolean {
    return this.#now() > request.deadline;
  }
}
