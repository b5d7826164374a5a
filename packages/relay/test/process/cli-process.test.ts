import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { spawnCli, type Spawned } from "../../../../test-support/spawned.js";

/**
 * The built relay CLI as an operator runs it: configuration validated at
 * start with the bad key named, and a graceful exit on SIGTERM.
 */
const CLI = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));
const ENV = {
  AUTHBRIDGE_RELAY_PORT: "0",
  AUTHBRIDGE_ISSUER: "https://login.test.invalid/tenant/v2.0",
  AUTHBRIDGE_AUDIENCE: "api://authbridge-relay",
  AUTHBRIDGE_JWKS_URI: "https://login.test.invalid/tenant/discovery/v2.0/keys",
  AUTHBRIDGE_CONSOLE_URL: "http://127.0.0.1:5173/",
  AUTHBRIDGE_CORS_ORIGINS: "http://localhost:5174",
};

let running: Spawned | undefined;
afterEach(() => {
  if (running?.child.exitCode === null) running.child.kill("SIGKILL");
  running = undefined;
});

describe("the relay process", () => {
  it("is built (the unit suite runs after `pnpm build`)", () => {
    expect(existsSync(CLI), `${CLI} is missing: run pnpm build first`).toBe(true);
  });

  it.each([
    ["AUTHBRIDGE_RELAY_PORT", "not-a-port"],
    ["AUTHBRIDGE_JWKS_URI", "ftp://x"],
    ["AUTHBRIDGE_CORS_ORIGINS", "http://localhost:5174/path"],
    ["AUTHBRIDGE_LOG_LEVEL", "loud"],
  ])("refuses a bad %s at start with exit 2 and a message naming it", async (key, value) => {
    running = spawnCli(CLI, [], { ...ENV, [key]: value });
    const { code } = await running.exited();
    expect(code).toBe(2);
    expect(running.output()).toContain(key);
  });

  it("names a missing required key", async () => {
    const { AUTHBRIDGE_ISSUER: _issuer, ...withoutIssuer } = ENV;
    running = spawnCli(CLI, [], withoutIssuer);
    expect((await running.exited()).code).toBe(2);
    expect(running.output()).toContain("AUTHBRIDGE_ISSUER");
  });

  it("serves /healthz and /readyz, then exits 0 promptly on SIGTERM", async () => {
    running = spawnCli(CLI, [], ENV);
    const line = await running.waitFor(/"url":"http:\/\/127\.0\.0\.1:\d+"/);
    const url = line.slice('"url":"'.length, -1);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${url}/readyz`)).json()).toEqual({ status: "ready", sessions: 0 });
    running.child.kill("SIGTERM");
    const { code, ms } = await running.exited(5_000);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(5_000);
    expect(running.output()).toMatch(/"signal":"SIGTERM".*"msg":"shutting down"/);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });
});
