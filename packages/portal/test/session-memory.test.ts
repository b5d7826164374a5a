import { describe, expect, it } from "vitest";
import { createSessionMemory, type SessionStorageLike } from "../src/session-memory.js";

function fakeStorage(): SessionStorageLike & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

describe("session memory", () => {
  it("keeps one session per account and forgets it on null", () => {
    const storage = fakeStorage();
    const alice = createSessionMemory(storage, "alice-home");
    const bob = createSessionMemory(storage, "bob-home");
    alice.save({ sessionId: "s1", consoleUrl: "http://127.0.0.1:1/?session=s1" });
    expect(alice.load()).toEqual({ sessionId: "s1", consoleUrl: "http://127.0.0.1:1/?session=s1" });
    expect(bob.load()).toBeNull();
    alice.save(null);
    expect(alice.load()).toBeNull();
    expect(storage.items.size).toBe(0);
  });

  it.each(["not json", "42", '{"sessionId":""}', '{"sessionId":"s","consoleUrl":"nope"}'])("treats the stored value %s as nothing", (stored) => {
    const storage = fakeStorage();
    storage.setItem("authbridge.session.a", stored);
    expect(createSessionMemory(storage, "a").load()).toBeNull();
  });
});
