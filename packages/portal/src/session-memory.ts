import { parseWith } from "@authbridge/protocol";
import { z } from "zod";
import type { RememberedSession, SessionMemory } from "./session.js";

const rememberedSchema = z.object({
  sessionId: z.string().min(1).max(128),
  consoleUrl: z.string().url(),
});

/** The part of `Storage` the memory needs. */
export type SessionStorageLike = Pick<Storage, "getItem" | "setItem" | "removeItem">;

/**
 * Remembers the tab's session in sessionStorage under a key per account, so a
 * reload re-attaches to the same session (and its endpoint) instead of
 * creating another one. What is read back is parsed like any other input.
 */
export function createSessionMemory(storage: SessionStorageLike, accountId: string): SessionMemory {
  const key = `authbridge.session.${accountId}`;
  return {
    load() {
      let data: unknown;
      try {
        data = JSON.parse(storage.getItem(key) ?? "null");
      } catch {
        return null;
      }
      const parsed = parseWith(rememberedSchema, data);
      return parsed.ok ? parsed.value : null;
    },
    save(session: RememberedSession | null) {
      if (session === null) storage.removeItem(key);
      else storage.setItem(key, JSON.stringify(session));
    },
  };
}
