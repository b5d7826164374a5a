import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { spawnCli, type Spawned } from "../../../../test-support/spawned.js";

/**
 * The built endpoint CLI as the launcher runs it: configuration validated at
 * start with the bad key named (and the agent token never echoed), health and
 * readiness while the relay is unreachable, and a graceful exit on SIGTERM.
 */
const CLI = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));
const AGENT_TOKEN = "agent-token-that-must-never-be-printed-0123456789";
const ENV = {
  AUTHBRIDGE_AGENT_TOKEN: AGENT_TOKEN,
  // Nothing listens on port 9: the endpoint keeps reconnecting, which must not block shutdown.
  AUTHBRIDGE_RELAY_URL: "ws://127.0.0.1:9/ws/agent",
  AUTHBRIDGE_SESSION_ID: "session-1",
  AUTHBRIDGE_PORT: "0",
};

let running: Spawned | undefined;
afterEach(() => {
  if (running?.child.exitCode === null) running.child.kill("SIGKILL");
  running = undefined;
});

describe("the endpoint process", () => {
  it("is built (the unit suite runs after `pnpm build`)", () => {
    expect(existsSync(CLI), `${CLI} is missing: run pnpm build first`).toBe(true);
  });

  it.each([
    ["AUTHBRIDGE_PORT", "99999"],
    ["AUTHBRIDGE_RELAY_URL", "http://not-a-websocket"],
    ["AUTHBRIDGE_LOG_LEVEL", "loud"],
    ["AUTHBRIDGE_AGENT_TOKEN", ""],
  ])("refuses a bad %s at start with exit 2 and a message naming it", async (key, value) => {
    running = spawnCli(CLI, ["serve"], { ...ENV, [key]: value });
    expect((await running.exited()).code).toBe(2);
    expect(running.output()).toContain(key);
    expect(running.output()).not.toContain(AGENT_TOKEN);
  });

  it("answers /healthz, is not ready without a relay, and exits 0 promptly on SIGTERM", async () => {
    running = spawnCli(CLI, ["serve"], ENV);
    const line = await running.waitFor(/"url":"http:\/\/127\.0\.0\.1:\d+"/);
    const url = line.slice('"url":"'.length, -1);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${url}/readyz`);
    expect([ready.status, await ready.json()]).toMatchObject([503, { error: { code: "RelayUnavailable" } }]);
    expect((await fetch(`${url}/metrics`)).status).toBe(200);
    running.child.kill("SIGTERM");
    const { code, ms } = await running.exited(5_000);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(5_000);
    expect(running.output()).toContain('"reason":"SIGTERM"');
    expect(running.output()).not.toContain(AGENT_TOKEN);
  });

  it("exits 0 promptly when the launcher that started it goes away (its IPC channel closes)", async () => {
    running = spawnCli(CLI, ["serve"], ENV, { ipc: true });
    await running.waitFor(/"msg":"listening"/);
    running.child.disconnect();
    const { code, ms } = await running.exited(5_000);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(5_000);
    expect(running.output()).toContain('"reason":"the launcher is gone"');
  });
});
