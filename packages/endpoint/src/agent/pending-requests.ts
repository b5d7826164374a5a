/**
 * Requests waiting for an answer from the far side, by id. Every entry has
 * a deadline: when its timer fires the entry is removed and rejected, so
 * nothing waits forever and late answers find no one (they are dropped).
 */
export interface PendingRequests<T> {
  /** Registers `id`; rejects with `onTimeout()` after `timeoutMs`. */
  add(id: string, timeoutMs: number, onTimeout: () => Error): Promise<T>;
  resolve(id: string, value: T): boolean;
  reject(id: string, error: Error): boolean;
  /** Rejects every entry with a fresh error from `makeError`. */
  rejectAll(makeError: () => Error): void;
  has(id: string): boolean;
  readonly size: number;
}

interface Entry<T> {
  resolve(value: T): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export function createPendingRequests<T>(): PendingRequests<T> {
  const entries = new Map<string, Entry<T>>();

  function take(id: string): Entry<T> | undefined {
    const entry = entries.get(id);
    if (entry === undefined) return undefined;
    entries.delete(id);
    clearTimeout(entry.timer);
    return entry;
  }

  return {
    add(id, timeoutMs, onTimeout) {
      if (entries.has(id)) return Promise.reject(new Error(`duplicate request id ${id}`));
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          take(id)?.reject(onTimeout());
        }, timeoutMs);
        entries.set(id, { resolve, reject, timer });
      });
    },
    resolve(id, value) {
      const entry = take(id);
      entry?.resolve(value);
      return entry !== undefined;
    },
    reject(id, error) {
      const entry = take(id);
      entry?.reject(error);
      return entry !== undefined;
    },
    rejectAll(makeError) {
      for (const id of [...entries.keys()]) take(id)?.reject(makeError());
    },
    has(id) {
      return entries.has(id);
    },
    get size() {
      return entries.size;
    },
  };
}
