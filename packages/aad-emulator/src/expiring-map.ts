import type { Clock } from "./clock.js";

/** A map whose entries vanish after a fixed lifetime; expired entries are swept on every write. */
export interface ExpiringMap<V> {
  set(key: string, value: V): void;
  get(key: string): V | undefined;
  delete(key: string): void;
  readonly size: number;
}

export function createExpiringMap<V>(clock: Clock, lifetimeMs: number): ExpiringMap<V> {
  const entries = new Map<string, { value: V; expiresAt: number }>();
  const sweep = (now: number): void => {
    for (const [key, entry] of entries) if (entry.expiresAt <= now) entries.delete(key);
  };
  return {
    set(key, value) {
      const now = clock.now();
      sweep(now);
      entries.set(key, { value, expiresAt: now + lifetimeMs });
    },
    get(key) {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      if (entry.expiresAt <= clock.now()) {
        entries.delete(key);
        return undefined;
      }
      return entry.value;
    },
    delete: (key) => void entries.delete(key),
    get size() {
      return entries.size;
    },
  };
}
