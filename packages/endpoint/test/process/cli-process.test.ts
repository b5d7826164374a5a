import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { spawnCli, type Spawned } from "../../../../test-support/spawned.js";
import { startFakeRelay } from "../helpers/fake-relay.js";

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

  it("exits 0 when the launcher that started it went away and no relay takes the session back within the orphan grace", async () => {
    running = spawnCli(CLI, ["serve"], { ...ENV, AUTHBRIDGE_ORPHAN_GRACE_MS: "300" }, { ipc: true });
    await running.waitFor(/"msg":"listening"/);
    running.child.disconnect();
    const { code, ms } = await running.exited(5_000);
    expect(code).toBe(0);
    expect(ms).toBeGreaterThanOrEqual(300);
    expect(ms).toBeLessThan(5_000);
    expect(running.output()).toContain('"reason":"the launcher is gone and no relay took the session back within 300 ms"');
  });

  it("as an orphan, lives on while a relay has its session, and exits once it has been away longer than the grace", async () => {
    const relay = await startFakeRelay();
    try {
      running = spawnCli(CLI, ["serve"], { ...ENV, AUTHBRIDGE_RELAY_URL: relay.url, AUTHBRIDGE_ORPHAN_GRACE_MS: "1500" }, { ipc: true });
      await running.waitFor(/"relay":"connected"/);
      running.child.disconnect();
      // Well past the grace: the relay has the session, so the endpoint stays.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      expect(running.child.exitCode).toBeNull();
      await relay.close();
      const { code, ms } = await running.exited(8_000);
      expect(code).toBe(0);
      expect(ms).toBeGreaterThanOrEqual(1_500);
      expect(running.output()).toContain("no relay took the session back within 1500 ms");
      expect(running.output()).not.toContain(AGENT_TOKEN);
    } finally {
      await relay.close();
    }
  });

  it("exits 0 at once when a relay refuses its session with 401 (the relay forgot it)", async () => {
    const relay = await startFakeRelay();
    try {
      relay.refuseWith(401);
      running = spawnCli(CLI, ["serve"], { ...ENV, AUTHBRIDGE_RELAY_URL: relay.url }, { ipc: true });
      const { code, ms } = await running.exited(8_000);
      expect(code).toBe(0);
      expect(ms).toBeLessThan(8_000);
      expect(running.output()).toContain('"reason":"session ended"');
      expect(relay.refused).toBe(1);
    } finally {
      await relay.close();
    }
  });
});
