import { AuthbridgeError } from "@authbridge/protocol";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { createTicketStore } from "../../src/auth/tickets.js";
import type { LaunchedAgent, Launcher } from "../../src/index.js";
import { createSessionStore } from "../../src/sessions/session-store.js";
import { FakeClock } from "../helpers/relay.js";

const alice = { tid: "t", oid: "alice" };

function storeWith(launcher: Launcher) {
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
    launchTimeoutMs: 100,
  });
  return { store, tickets };
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
    const closing = store.closeAll(1001, "relay shutting down");
    finish({ stop: () => Promise.resolve(void stopped.push("stopped")), onExit: () => undefined });
    await closing;
    expect(stopped).toEqual(["stopped"]);
    expect((await failure(opening)).code).toBe("LaunchFailed");
  });
});
