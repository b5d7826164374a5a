import type { ConnectMessage } from "@authbridge/protocol";
import { describe, expect, it } from "vitest";
import { RelayApiError, type RelayApi, type SessionAnswer } from "../src/relay-api.js";
import { createSessionController, type SessionView } from "../src/session.js";
import { deferred, FakeClock } from "./clock.js";

const CONSOLE = "http://127.0.0.1:5174";
const WS = "ws://127.0.0.1:5000/ws/browser";
const FIRST = "FirstTicketFirstTicketFirstTick1";
const MINTED = "MintedTicketMintedTicketMintedT2";

function setup(overrides: Partial<RelayApi> = {}, answer: Partial<SessionAnswer> = {}) {
  const clock = new FakeClock();
  const views: SessionView[] = [];
  const posted: { message: ConnectMessage; targetOrigin: string }[] = [];
  const calls: string[] = [];
  const api: RelayApi = {
    createSession: () => {
      calls.push("create");
      return Promise.resolve({
        sessionId: "s1",
        consoleUrl: `${CONSOLE}/`,
        ticket: FIRST,
        expiresAt: new Date(clock.time + 60_000).toISOString(),
        endpointUrl: "http://127.0.0.1:50342",
        ...answer,
      });
    },
    mintTicket: (id) => {
      calls.push(`mint ${id}`);
      return Promise.resolve({ ticket: MINTED, expiresAt: new Date(clock.time + 60_000).toISOString() });
    },
    getSession: (id) => {
      calls.push(`get ${id}`);
      return Promise.reject(new Error("no session is remembered in these tests"));
    },
    endSession: (id) => {
      calls.push(`end ${id}`);
      return Promise.resolve();
    },
    ...overrides,
  };
  const controller = createSessionController({
    api,
    relayWsUrl: WS,
    consoleOrigin: CONSOLE,
    now: clock.now,
    postToConsole: (message, targetOrigin) => posted.push({ message, targetOrigin }),
    onChange: (view) => views.push(view),
  });
  return { clock, views, posted, calls, controller };
}

const connect = (ticket: string) => ({
  message: { channel: "authbridge", v: 1, type: "connect", relayUrl: WS, ticket },
  targetOrigin: CONSOLE,
});

describe("session controller", () => {
  it("goes starting → ready with the console URL and endpoint URL", async () => {
    const s = setup();
    await s.controller.start();
    expect(s.views.map((v) => v.state)).toEqual(["starting", "ready"]);
    expect(s.controller.view()).toEqual({ state: "ready", sessionId: "s1", consoleUrl: `${CONSOLE}/`, endpointUrl: "http://127.0.0.1:50342" });
  });

  it("hands the session's ticket to the first ready and mints fresh ones afterwards", async () => {
    const s = setup();
    await s.controller.start();
    await s.controller.onConsoleReady();
    expect(s.posted).toEqual([connect(FIRST)]);
    await s.controller.onConsoleReady();
    expect(s.calls).toEqual(["create", "mint s1"]);
    expect(s.posted).toEqual([connect(FIRST), connect(MINTED)]);
  });

  it("mints a ticket for the first ready when the session's ticket has (nearly) expired", async () => {
    const s = setup();
    await s.controller.start();
    s.clock.advance(56_000);
    await s.controller.onConsoleReady();
    expect(s.posted).toEqual([connect(MINTED)]);
  });

  it("ignores ready when there is no ready session", async () => {
    const s = setup();
    await s.controller.onConsoleReady();
    expect(s.posted).toEqual([]);
  });

  it("refuses a console URL on another origin", async () => {
    const s = setup({}, { consoleUrl: "http://evil.example/" });
    await s.controller.start();
    expect(s.controller.view()).toMatchObject({ state: "error", error: expect.stringContaining("console origin") as unknown });
    expect(s.controller.view().consoleUrl).toBeUndefined();
  });

  it("shows the relay's error when the session cannot be created", async () => {
    const s = setup({ createSession: () => Promise.reject(new RelayApiError("TooManySessions", "Limit reached.", 429)) });
    await s.controller.start();
    expect(s.controller.view()).toEqual({ state: "error", error: "TooManySessions: Limit reached." });
  });

  it("ends the session with DELETE, and treats a gone session as ended", async () => {
    const s = setup();
    await s.controller.start();
    await s.controller.end();
    expect(s.calls).toEqual(["create", "end s1"]);
    expect(s.controller.view()).toMatchObject({ state: "ended", sessionId: "s1" });

    const gone = setup({ endSession: () => Promise.reject(new RelayApiError("SessionNotFound", "gone", 404)) });
    await gone.controller.start();
    await gone.controller.end();
    expect(gone.controller.view().state).toBe("ended");
  });

  it("is ended when minting a ticket finds the session gone", async () => {
    const s = setup({ mintTicket: () => Promise.reject(new RelayApiError("SessionNotFound", "gone", 404)) });
    await s.controller.start();
    await s.controller.onConsoleReady();
    await s.controller.onConsoleReady();
    expect(s.controller.view().state).toBe("ended");
    expect(s.posted).toEqual([connect(FIRST)]);
  });

  it("shows a failed ticket mint as an error and recovers when the console asks again", async () => {
    let fail = true;
    const s = setup({
      mintTicket: () =>
        fail
          ? Promise.reject(new RelayApiError("RelayUnavailable", "The relay could not be reached.", 503))
          : Promise.resolve({ ticket: MINTED, expiresAt: new Date(Date.now() + 60_000).toISOString() }),
    });
    await s.controller.start();
    await s.controller.onConsoleReady();
    await s.controller.onConsoleReady();
    expect(s.controller.view()).toMatchObject({ state: "error", sessionId: "s1", error: "RelayUnavailable: The relay could not be reached." });
    fail = false;
    await s.controller.onConsoleReady();
    expect(s.controller.view()).toEqual({ state: "ready", sessionId: "s1", consoleUrl: `${CONSOLE}/`, endpointUrl: "http://127.0.0.1:50342" });
    expect(s.posted).toEqual([connect(FIRST), connect(MINTED)]);
  });

  it("starts again after the session ended, and not twice at once", async () => {
    const s = setup();
    await s.controller.start();
    await s.controller.start();
    expect(s.calls).toEqual(["create"]);
    await s.controller.end();
    await s.controller.start();
    expect(s.calls).toEqual(["create", "end s1", "create"]);
    expect(s.controller.view().state).toBe("ready");
  });

  it("drops a ticket minted for a session that ended meanwhile", async () => {
    const gate = deferred<{ ticket: string; expiresAt: string }>();
    const s = setup({ mintTicket: () => gate.promise });
    await s.controller.start();
    await s.controller.onConsoleReady();
    const second = s.controller.onConsoleReady();
    await s.controller.end();
    gate.resolve({ ticket: MINTED, expiresAt: new Date(s.clock.time + 60_000).toISOString() });
    await second;
    expect(s.posted).toEqual([connect(FIRST)]);
  });

  it("refuses to post a ticket the console would reject", async () => {
    const s = setup({}, { ticket: "short" });
    await s.controller.start();
    await s.controller.onConsoleReady();
    expect(s.posted).toEqual([]);
    expect(s.controller.view().state).toBe("error");
  });
});

describe("session memory across reloads", () => {
  function memory(initial: { sessionId: string; consoleUrl: string } | null) {
    const saved: ({ sessionId: string; consoleUrl: string } | null)[] = [];
    let value = initial;
    return {
      saved,
      memory: {
        load: () => value,
        save: (next: { sessionId: string; consoleUrl: string } | null) => {
          value = next;
          saved.push(next);
        },
      },
    };
  }

  function setupWithMemory(remembered: { sessionId: string; consoleUrl: string } | null, getSession: RelayApi["getSession"]) {
    const clock = new FakeClock();
    const views: SessionView[] = [];
    const posted: ConnectMessage[] = [];
    const calls: string[] = [];
    const store = memory(remembered);
    const api: RelayApi = {
      createSession: () => {
        calls.push("create");
        return Promise.resolve({ sessionId: "new", consoleUrl: `${CONSOLE}/?session=new`, ticket: FIRST, expiresAt: new Date(clock.time + 60_000).toISOString() });
      },
      mintTicket: (id) => {
        calls.push(`mint ${id}`);
        return Promise.resolve({ ticket: MINTED, expiresAt: new Date(clock.time + 60_000).toISOString() });
      },
      getSession: (id) => {
        calls.push(`get ${id}`);
        return getSession(id);
      },
      endSession: (id) => {
        calls.push(`end ${id}`);
        return Promise.resolve();
      },
    };
    const controller = createSessionController({
      api,
      relayWsUrl: WS,
      consoleOrigin: CONSOLE,
      now: clock.now,
      memory: store.memory,
      postToConsole: (message) => posted.push(message),
      onChange: (view) => views.push(view),
    });
    return { controller, calls, posted, store, views };
  }

  it("re-attaches a reloaded tab to its live session with a freshly minted ticket", async () => {
    const { controller, calls, posted } = setupWithMemory({ sessionId: "old", consoleUrl: `${CONSOLE}/?session=old` }, (id) =>
      Promise.resolve({ sessionId: id, agent: true, browser: false, endpointUrl: "http://127.0.0.1:50342" }),
    );
    await controller.start();
    expect(controller.view()).toEqual({ state: "ready", sessionId: "old", consoleUrl: `${CONSOLE}/?session=old`, endpointUrl: "http://127.0.0.1:50342" });
    await controller.onConsoleReady();
    expect(calls).toEqual(["get old", "mint old"]);
    expect(posted.map((message) => message.ticket)).toEqual([MINTED]);
  });

  it("creates a new session and remembers it when the old one is gone", async () => {
    const { controller, calls, store } = setupWithMemory({ sessionId: "old", consoleUrl: `${CONSOLE}/?session=old` }, () =>
      Promise.reject(new RelayApiError("SessionNotFound", "gone", 404)),
    );
    await controller.start();
    expect(calls).toEqual(["get old", "create"]);
    expect(controller.view().sessionId).toBe("new");
    expect(store.saved).toEqual([null, { sessionId: "new", consoleUrl: `${CONSOLE}/?session=new` }]);
  });

  it("does not paper over a relay failure by creating another session", async () => {
    const { controller, calls } = setupWithMemory({ sessionId: "old", consoleUrl: `${CONSOLE}/?session=old` }, () =>
      Promise.reject(new RelayApiError("RelayUnavailable", "down", 503)),
    );
    await controller.start();
    expect(calls).toEqual(["get old"]);
    expect(controller.view().state).toBe("error");
  });

  it("ignores a remembered console URL on another origin", async () => {
    const { controller, calls } = setupWithMemory({ sessionId: "old", consoleUrl: "http://evil.test/" }, (id) =>
      Promise.resolve({ sessionId: id, agent: true, browser: false }),
    );
    await controller.start();
    expect(calls).toEqual(["create"]);
  });

  it("forgets the session when it ends", async () => {
    const { controller, store } = setupWithMemory(null, (id) => Promise.resolve({ sessionId: id, agent: true, browser: false }));
    await controller.start();
    await controller.end();
    expect(store.saved).toEqual([{ sessionId: "new", consoleUrl: `${CONSOLE}/?session=new` }, null]);
  });
});
