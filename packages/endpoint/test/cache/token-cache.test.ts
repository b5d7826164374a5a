import { AuthbridgeError } from "@authbridge/protocol";
import { describe, expect, it } from "vitest";
import { createTokenCache } from "../../src/index.js";
import { createFakeClock } from "../helpers/fake-clock.js";
import { deferred, makeToken } from "../helpers/tokens.js";
import type { Token } from "@authbridge/protocol";

const RESOURCE = "https://management.azure.com/";

describe("token cache", () => {
  it("serves a cached token until 5 minutes before expiry, then fetches again", async () => {
    const clock = createFakeClock(1_700_000_000_000);
    const cache = createTokenCache({ clock });
    const expiresOn = 1_700_000_000 + 3600;
    let fetches = 0;
    const fetch = () => {
      fetches += 1;
      return Promise.resolve(makeToken(expiresOn, { accessToken: `t${fetches}` }));
    };

    const first = await cache.get(RESOURCE, fetch);
    expect([first.token.accessToken, first.fromCache, first.receivedAt]).toEqual(["t1", false, 1_700_000_000_000]);

    clock.set((expiresOn - 301) * 1000);
    const hit = await cache.get(RESOURCE, fetch);
    expect([hit.token.accessToken, hit.fromCache, fetches]).toEqual(["t1", true, 1]);

    clock.set((expiresOn - 300) * 1000);
    const miss = await cache.get(RESOURCE, fetch);
    expect([miss.token.accessToken, miss.fromCache, fetches]).toEqual(["t2", false, 2]);
  });

  it("keys on the exact resource string", async () => {
    const cache = createTokenCache({ clock: createFakeClock() });
    const seen: string[] = [];
    const fetchFor = (resource: string) => () => {
      seen.push(resource);
      return Promise.resolve(makeToken(1_700_010_000));
    };
    await cache.get("https://management.azure.com/", fetchFor("https://management.azure.com/"));
    await cache.get("https://management.azure.com", fetchFor("https://management.azure.com"));
    await cache.get("https://management.azure.com/", fetchFor("again"));
    expect(seen).toEqual(["https://management.azure.com/", "https://management.azure.com"]);
    expect(cache.size).toBe(2);
  });

  it("shares one fetch among 10 concurrent misses", async () => {
    const cache = createTokenCache({ clock: createFakeClock() });
    const pending = deferred<Token>();
    let fetches = 0;
    const fetch = () => {
      fetches += 1;
      return pending.promise;
    };
    const lookups = Array.from({ length: 10 }, () => cache.get(RESOURCE, fetch));
    pending.resolve(makeToken(1_700_010_000, { accessToken: "shared" }));
    const results = await Promise.all(lookups);
    expect(fetches).toBe(1);
    expect(results.map((r) => r.token.accessToken)).toEqual(Array<string>(10).fill("shared"));
  });

  it("does not cache failures: every waiter sees the error, the next call fetches again", async () => {
    const cache = createTokenCache({ clock: createFakeClock() });
    let fetches = 0;
    const failing = () => {
      fetches += 1;
      return Promise.reject(new AuthbridgeError("Timeout", "slow"));
    };
    const results = await Promise.allSettled([cache.get(RESOURCE, failing), cache.get(RESOURCE, failing)]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(fetches).toBe(1);
    expect(cache.size).toBe(0);

    const ok = await cache.get(RESOURCE, () => {
      fetches += 1;
      return Promise.resolve(makeToken(1_700_010_000));
    });
    expect([ok.fromCache, fetches]).toEqual([false, 2]);
  });

  it("does not cache a fetch that throws synchronously", async () => {
    const cache = createTokenCache({ clock: createFakeClock() });
    await expect(
      cache.get(RESOURCE, () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    await expect(cache.get(RESOURCE, () => Promise.resolve(makeToken(1_700_010_000)))).resolves.toMatchObject({ fromCache: false });
  });

  it("peeks only servable entries", async () => {
    const clock = createFakeClock(1_700_000_000_000);
    const cache = createTokenCache({ clock });
    await cache.get(RESOURCE, () => Promise.resolve(makeToken(1_700_000_000 + 600)));
    expect(cache.peek(RESOURCE)?.token.expiresOn).toBe(1_700_000_600);
    clock.advance(300_000);
    expect(cache.peek(RESOURCE)).toBeUndefined();
  });
});
