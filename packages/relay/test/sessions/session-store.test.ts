import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AuthbridgeError } from "@authbridge/protocol";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createTicketStore } from "../../src/auth/tickets.js";
import type { LaunchedAgent, Launcher } from "../../src/index.js";
import { createSessionStore } from "../../src/sessions/session-store.js";
import { FakeClock } from "../helpers/relay.js";

const alice = { tid: "t", oid: "alice" };

function storeWith(launcher: Launcher, stateFile?: string) {
  const clock = new FakeClock();
  const tickets = createTicketStore({ clock, ttlMs: 60_000 });
  const store = createSessionStore({
    launcher,
    tickets,
    clock,
    logger: pino({ level: "silent" }),
    relayAgentUrl: () => "ws://127.0.0.1:1/ws/agent",
    maxSessionsPerUser: 5,
    sessionIdleMs: 60_000,
    reattachMs: 60_000,
    launchTimeoutMs: 100,
    ...(stateFile === undefined ? {} : { stateFile }),
  });
  return { store, tickets };
}

const stateFileShape = z.object({ sessions: z.array(z.object({ id: z.string() })) });
function stateFileIds(file: string): string[] {
  return stateFileShape.parse(JSON.parse(readFileSync(file, "utf8"))).sessions.map((session) => session.id);
}

async function failure(promise: Promise<unknown>): Promise<AuthbridgeError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AuthbridgeError) return error;
    throw error;
  }
  throw new Error("it succeeded");
}

describe("session store", () => {
  it("gives up on a launch that does not finish by the deadline, and stops it when it finishes later", async () => {
    let finish: (agent: LaunchedAgent) => void = () => undefined;
    const stopped: string[] = [];
    const { store } = storeWith({ launch: () => new Promise((resolve) => (finish = resolve)) });
    const error = await failure(store.open(alice));
    expect(error).toMatchObject({ code: "LaunchFailed", status: 502, message: "the session's endpoint could not be started: the endpoint did not start within 100 ms" });
    expect(store.count()).toBe(0);
    finish({ stop: () => Promise.resolve(void stopped.push("late")), onExit: () => undefined });
    await expect.poll(() => stopped).toEqual(["late"]);
  });

  it("lets the agent find the session while the launch is still running", async () => {
    let finish: (agent: LaunchedAgent) => void = () => undefined;
    let seen: boolean | undefined;
    const launcher: Launcher = {
      launch: (context) =>
        new Promise((resolve) => {
          finish = resolve;
          seen = store.findById(context.sessionId) !== undefined;
        }),
    };
    const { store } = storeWith(launcher);
    const opening = store.open(alice);
    await expect.poll(() => seen).toBe(true);
    finish({ stop: () => Promise.resolve(), onExit: () => undefined });
    const session = await opening;
    expect(store.findOwned(session.id, alice)).toBe(session);
    expect(store.findOwned(session.id, { tid: "t", oid: "bob" })).toBeUndefined();
  });

  it("stops a launch that completes after the session was closed", async () => {
    let finish: (agent: LaunchedAgent) => void = () => undefined;
    const stopped: string[] = [];
    const { store } = storeWith({ launch: () => new Promise((resolve) => (finish = resolve)) });
    const opening = store.open(alice);
    const closing = store.shutdown(1001, "relay shutting down");
    finish({ stop: () => Promise.resolve(void stopped.push("stopped")), onExit: () => undefined });
    await closing;
    expect(stopped).toEqual(["stopped"]);
    expect((await failure(opening)).code).toBe("LaunchFailed");
  });

  it("writes only sessions whose endpoint is up, and at shutdown ends one still starting but keeps an external one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "relay-store-"));
    try {
      const stateFile = join(dir, "sessions.json");
      const finishers: ((agent: LaunchedAgent) => void)[] = [];
      const stopped: string[] = [];
      const agent = (name: string): LaunchedAgent => ({ external: true, stop: () => Promise.resolve(void stopped.push(name)), onExit: () => undefined });
      const { store } = storeWith({ launch: () => new Promise((resolve) => finishers.push(resolve)) }, stateFile);
      const starting = store.open(alice);
      const opening = store.open(alice);
      await expect.poll(() => finishers.length).toBe(2);
      finishers[1]?.(agent("up"));
      const up = await opening;
      const ids = (): string[] => stateFileIds(stateFile);
      expect(ids()).toEqual([up.id]);

      const closing = store.shutdown(1001, "relay shutting down");
      finishers[0]?.(agent("late"));
      await closing;
      expect(stopped).toEqual(["late"]);
      expect((await failure(starting)).code).toBe("LaunchFailed");
      expect(ids()).toEqual([up.id]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
