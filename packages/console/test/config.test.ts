import { describe, expect, it } from "vitest";
import { loadConsoleConfig, parseConsoleConfig } from "../src/config.js";
import { reconnectDelay } from "../src/backoff.js";

describe("console config", () => {
  it("accepts an exact portal origin", () => {
    expect(parseConsoleConfig({ portalOrigin: "http://localhost:4000" })).toEqual({ ok: true, value: { portalOrigin: "http://localhost:4000" } });
  });

  it.each([
    ["missing", {}],
    ["a trailing slash", { portalOrigin: "http://localhost:4000/" }],
    ["a path", { portalOrigin: "http://localhost:4000/portal" }],
    ["a wildcard", { portalOrigin: "*" }],
    ["a non-http scheme", { portalOrigin: "javascript:alert(1)" }],
    ["a number", { portalOrigin: 4000 }],
  ])("rejects %s", (_label, input) => {
    const parsed = parseConsoleConfig(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.path).toBe("portalOrigin");
  });

  it("explains what is wrong with a served config", async () => {
    const fetchConfig = (body: string, status = 200) => () => Promise.resolve(new Response(body, { status }));
    expect(await loadConsoleConfig(fetchConfig('{"portalOrigin":"*"}'))).toEqual({
      ok: false,
      message: expect.stringContaining("/config.json is invalid: portalOrigin:") as unknown,
    });
    expect(await loadConsoleConfig(fetchConfig("<html>"))).toEqual({ ok: false, message: "/config.json could not be loaded as JSON." });
    expect(await loadConsoleConfig(fetchConfig("", 404))).toEqual({ ok: false, message: "/config.json answered HTTP 404." });
    expect(await loadConsoleConfig(fetchConfig('{"portalOrigin":"https://portal.example"}'))).toEqual({
      ok: true,
      config: { portalOrigin: "https://portal.example" },
    });
  });
});

describe("reconnectDelay", () => {
  it("doubles from 1 s up to 10 s", () => {
    expect([0, 1, 2, 3, 4, 5, 20].map(reconnectDelay)).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000, 10_000]);
  });
});
