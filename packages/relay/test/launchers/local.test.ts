import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { AuthbridgeError } from "@authbridge/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLocalLauncher, type LaunchedAgent, type LocalLauncherOptions } from "../../src/index.js";
import { startTestRelay, type TestRelay } from "../helpers/relay.js";
import { anyString, matching } from "../helpers/matchers.js";

const FAKE_ENDPOINT = fileURLToPath(new URL("../fixtures/fake-endpoint.js", import.meta.url));
const CONTEXT = { sessionId: "session-1", agentToken: "agent-token-that-is-secret", relayAgentUrl: "ws://127.0.0.1:1/ws/agent" };

let dir: string;
let launched: LaunchedAgent[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "relay-launcher-"));
});
afterEach(async () => {
  await Promise.all(launched.map((agent) => agent.stop()));
  launched = [];
  rmSync(dir, { recursive: true, force: true });
});

function launcher(mode: string, options: Partial<LocalLauncherOptions> = {}) {
  return createLocalLauncher({
    command: [process.execPath, FAKE_ENDPOINT],
    endpointHost: "127.0.0.1",
    endpointPort: 0,
    env: { FAKE_ENDPOINT_MODE: mode, FAKE_ENDPOINT_REPORT: join(dir, "report.json"), FAKE_ENDPOINT_EXTRA: "extra" },
    ...options,
  });
}

async function launch(mode: string, options: Partial<LocalLauncherOptions> = {}): Promise<LaunchedAgent> {
  const agent = await launcher(mode, options).launch(CONTEXT);
  launched.push(agent);
  return agent;
}

function report(): { argv: string[]; env: Record<string, string | undefined> } {
  const value: unknown = JSON.parse(readFileSync(join(dir, "report.json"), "utf8"));
  if (typeof value !== "object" || value === null || !("argv" in value) || !("env" in value)) throw new Error("bad report");
  const argv: unknown = value.argv;
  const env: unknown = value.env;
  if (!Array.isArray(argv) || typeof env !== "object" || env === null) throw new Error("bad report");
  return { argv: argv.map(String), env: Object.fromEntries(Object.entries(env).map(([key, item]) => [key, typeof item === "string" ? item : undefined])) };
}

async function launchFailure(promise: Promise<unknown>): Promise<AuthbridgeError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AuthbridgeError) return error;
    throw error;
  }
  throw new Error("the launch succeeded");
}

describe("local launcher", () => {
  it("passes the session through the environment, never argv, and returns the listening URL", async () => {
    const agent = await launch("listen");
    expect(agent.endpointUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(agent.endpointUrl ?? "");
    expect(await response.text()).toBe("fake endpoint");
    const { argv, env } = report();
    expect(env).toEqual({
      AUTHBRIDGE_AGENT_TOKEN: CONTEXT.agentToken,
      AUTHBRIDGE_RELAY_URL: CONTEXT.relayAgentUrl,
      AUTHBRIDGE_SESSION_ID: CONTEXT.sessionId,
      AUTHBRIDGE_HOST: "127.0.0.1",
      AUTHBRIDGE_PORT: "0",
      FAKE_ENDPOINT_EXTRA: "extra",
    });
    expect(argv.join(" ")).not.toContain(CONTEXT.agentToken);
    expect(argv.slice(1)).toEqual([FAKE_ENDPOINT]);
  });

  it("tells the endpoint how long to wait as an orphan when asked (0: a relay without a state file)", async () => {
    await launch("listen", { orphanGraceMs: 0 });
    expect(report().env.AUTHBRIDGE_ORPHAN_GRACE_MS).toBe("0");
  });

  it("defaults the endpoint to the Cloud Shell port on loopback", async () => {
    const failure = await launchFailure(
      createLocalLauncher({ command: [process.execPath, FAKE_ENDPOINT], env: { FAKE_ENDPOINT_MODE: "crash", FAKE_ENDPOINT_REPORT: join(dir, "report.json") } }).launch(CONTEXT),
    );
    expect(failure.code).toBe("LaunchFailed");
    expect(report().env).toMatchObject({ AUTHBRIDGE_HOST: "127.0.0.1", AUTHBRIDGE_PORT: "50342" });
  });

  it("fails with LaunchFailed and kills the process when it does not report listening in time", async () => {
    const started = Date.now();
    const failure = await launchFailure(launcher("silent", { startTimeoutMs: 300 }).launch(CONTEXT));
    expect(failure).toMatchObject({ code: "LaunchFailed", status: 502, message: "the endpoint did not report listening within 300 ms" });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it("fails with LaunchFailed when the process exits before listening", async () => {
    const failure = await launchFailure(launcher("crash").launch(CONTEXT));
    expect(failure).toMatchObject({ code: "LaunchFailed", message: "the endpoint exited with code 3 before it was listening" });
  });

  it("fails with LaunchFailed on an invalid listening message", async () => {
    const failure = await launchFailure(launcher("invalid").launch(CONTEXT));
    expect(failure.message).toMatch(/^the endpoint sent an invalid listening message \(url: /);
  });

  it("fails with LaunchFailed when the command cannot be started", async () => {
    const failure = await launchFailure(createLocalLauncher({ command: [join(dir, "missing-binary")] }).launch(CONTEXT));
    expect(failure.code).toBe("LaunchFailed");
    expect(failure.message).toMatch(/could not be started/);
  });

  it("stops the process with SIGTERM and reports the exit", async () => {
    const agent = await launch("listen");
    const exits: (number | null)[] = [];
    agent.onExit((code) => exits.push(code));
    await agent.stop();
    expect(exits).toEqual([null]);
    await expect(fetch(agent.endpointUrl ?? "")).rejects.toThrow();
    const late: (number | null)[] = [];
    agent.onExit((code) => late.push(code));
    await Promise.resolve();
    expect(late).toEqual([null]);
  });
});

describe("relay with the local launcher", () => {
  let t: TestRelay | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it("launches an endpoint that attaches as the agent, and DELETE makes it exit", async () => {
    t = await startTestRelay({
      launcher: createLocalLauncher({
        command: [process.execPath, FAKE_ENDPOINT],
        endpointPort: 0,
        env: { FAKE_ENDPOINT_MODE: "listen", FAKE_ENDPOINT_AGENT: "1", FAKE_ENDPOINT_REPORT: join(dir, "report.json") },
      }),
    });
    const token = await t.token();
    const created = await t.api("POST", "/api/sessions", { token });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ endpointUrl: matching(/^http:\/\/127\.0\.0\.1:\d+$/) });
    const { env } = report();
    const sessionId = env.AUTHBRIDGE_SESSION_ID ?? "";
    expect(env.AUTHBRIDGE_RELAY_URL).toBe(`${t.relay.wsUrl}/ws/agent`);
    await expect.poll(async () => (await t?.api("GET", `/api/sessions/${sessionId}`, { token }))?.body).toMatchObject({ agent: true, browser: false });
    const endpointUrl = (await t.api("GET", `/api/sessions/${sessionId}`, { token })).body;
    expect(endpointUrl).toMatchObject({ endpointUrl: anyString });
    expect((await t.api("DELETE", `/api/sessions/${sessionId}`, { token })).status).toBe(204);
    expect(t.relay.sessionCount()).toBe(0);
  });

  it("ends the session when the endpoint process exits", async () => {
    t = await startTestRelay({
      launcher: createLocalLauncher({ command: [process.execPath, FAKE_ENDPOINT], endpointPort: 0, env: { FAKE_ENDPOINT_MODE: "listen", FAKE_ENDPOINT_AGENT: "1" } }),
    });
    const token = await t.token();
    const created = await t.api("POST", "/api/sessions", { token });
    expect(created.status).toBe(201);
    const sessionId = String(Reflect.get(Object(created.body), "sessionId"));
    await expect.poll(async () => (await t?.api("GET", `/api/sessions/${sessionId}`, { token }))?.body).toMatchObject({ agent: true });
    const endpointUrl = String(Reflect.get(Object(created.body), "endpointUrl"));
    await fetch(`${endpointUrl}/exit`);
    await expect.poll(() => t?.relay.sessionCount()).toBe(0);
  });
});
