import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ChildAgent } from "../../src/launchers/child-agent.js";

const FAKE_ENDPOINT = fileURLToPath(new URL("../fixtures/fake-endpoint.js", import.meta.url));

describe("a spawned endpoint", () => {
  it("that ignores SIGTERM is killed with SIGKILL after the grace period", async () => {
    const child = spawn(process.execPath, [FAKE_ENDPOINT], { stdio: ["ignore", "inherit", "inherit", "ipc"], env: { ...process.env, FAKE_ENDPOINT_MODE: "stubborn" } });
    await new Promise<void>((resolve) => child.once("message", () => resolve()));
    const agent = new ChildAgent(child, 200);
    const started = Date.now();
    await agent.stop();
    expect(Date.now() - started).toBeGreaterThanOrEqual(180);
    expect(agent.exited).toBe(true);
    expect(child.signalCode).toBe("SIGKILL");
  });

  it("is stopped once however often stop() is called", async () => {
    const child = spawn(process.execPath, [FAKE_ENDPOINT], { stdio: ["ignore", "inherit", "inherit", "ipc"], env: { ...process.env, FAKE_ENDPOINT_MODE: "silent" } });
    const agent = new ChildAgent(child);
    const exits: (number | null)[] = [];
    agent.onExit((code) => exits.push(code));
    await Promise.all([agent.stop(), agent.stop()]);
    await agent.stop();
    expect(child.signalCode).toBe("SIGTERM");
    expect(exits).toEqual([null]);
  });
});
