import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
const dirs: string[] = [];
afterEach(() => {
  if (running?.child.exitCode === null) running.child.kill("SIGKILL");
  running = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Writes `text` to a fresh configuration file and returns its path. */
function configFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "relay-config-"));
  dirs.push(dir);
  const path = join(dir, "relay.env");
  writeFileSync(path, text);
  return path;
}

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

  it("reads unset variables from AUTHBRIDGE_CONFIG_FILE; the environment wins over the file", async () => {
    const { AUTHBRIDGE_RELAY_PORT: _port, ...settings } = ENV;
    const lines = Object.entries(settings).map(([key, value]) => `export ${key}="${value}"`);
    // An unusable port in the file: the relay only starts if the environment's 0 wins.
    const path = configFile(["# the relay's settings", ...lines, "AUTHBRIDGE_RELAY_PORT=99999", ""].join("\n"));
    running = spawnCli(CLI, [], { AUTHBRIDGE_CONFIG_FILE: path, AUTHBRIDGE_RELAY_PORT: "0" });
    const line = await running.waitFor(/"url":"http:\/\/127\.0\.0\.1:\d+"/);
    expect((await fetch(`${line.slice('"url":"'.length, -1)}/healthz`)).status).toBe(200);
    running.child.kill("SIGTERM");
    expect((await running.exited(5_000)).code).toBe(0);
  });

  it.each([
    ["a bad value, naming the key and the file", "AUTHBRIDGE_LOG_LEVEL=loud", (path: string) => `invalid configuration: AUTHBRIDGE_LOG_LEVEL (set in ${path}) must be one of`],
    ["a key the relay does not know (a typo)", "AUTHBRIDGE_RELAY_PROT=8090", (path: string) => `invalid configuration: AUTHBRIDGE_RELAY_PROT (set in ${path}) is not a relay setting`],
    ["a line that is not KEY=value", "just words", (path: string) => `invalid configuration: AUTHBRIDGE_CONFIG_FILE: ${path} line 1: is not KEY=value`],
  ])("refuses a configuration file with %s, exit 2", async (_name, text, expected) => {
    const path = configFile(`${text}\n`);
    running = spawnCli(CLI, [], { ...ENV, AUTHBRIDGE_LOG_LEVEL: "", AUTHBRIDGE_CONFIG_FILE: path });
    expect((await running.exited()).code).toBe(2);
    expect(running.output()).toContain(expected(path));
  });

  it("refuses a configuration file it cannot read, naming the variable", async () => {
    running = spawnCli(CLI, [], { ...ENV, AUTHBRIDGE_CONFIG_FILE: "/nonexistent/relay.env" });
    expect((await running.exited()).code).toBe(2);
    expect(running.output()).toContain("invalid configuration: AUTHBRIDGE_CONFIG_FILE: cannot read /nonexistent/relay.env (ENOENT)");
  });
});
