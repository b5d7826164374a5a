import type { TokenRequestMessage, TokenResponseMessage } from "@authbridge/protocol";
import { describe, expect, it } from "vitest";
import { createTokenResponder, type AcquireFailure, type ActivityEntry, type InteractionPromptView } from "../src/token-responder.js";
import type { AcquiredToken } from "../src/wire-token.js";
import { deferred, FakeClock, fakeJwt } from "./clock.js";

const ARM = "https://management.azure.com/";
const ACCESS_TOKEN = fakeJwt({ aud: ARM, nbf: 1_699_999_000, exp: 1_700_003_600 });
const INTERACTION = new Error("interaction needed");

function request(id: string, deadline: number, resource = ARM): TokenRequestMessage {
  return { channel: "authbridge", v: 1, type: "token.request", id, resource, deadline };
}

interface Setup {
  allowedResources?: readonly string[] | null;
  silent?: (scopes: string[]) => Promise<AcquiredToken>;
  interactive?: (scopes: string[]) => Promise<AcquiredToken>;
}

function setup(options: Setup = {}) {
  const clock = new FakeClock();
  const responses: TokenResponseMessage[] = [];
  const activity: ActivityEntry[] = [];
  const promptChanges: (readonly InteractionPromptView[])[] = [];
  const silentScopes: string[][] = [];
  const interactiveScopes: string[][] = [];
  const token = (): AcquiredToken => ({ accessToken: ACCESS_TOKEN, expiresOn: new Date(clock.time + 3_600_000) });
  const responder = createTokenResponder({
    allowedResources: options.allowedResources ?? null,
    acquireSilent: (scopes) => {
      silentScopes.push(scopes);
      return options.silent ? options.silent(scopes) : Promise.resolve(token());
    },
    acquireInteractive: (scopes) => {
      interactiveScopes.push(scopes);
      return options.interactive ? options.interactive(scopes) : Promise.resolve(token());
    },
    classifyError: (error): AcquireFailure =>
      error === INTERACTION ? { kind: "interaction" } : { kind: "error", code: "invalid_resource", message: "AADSTS500011: no such resource" },
    respond: (message) => responses.push(message),
    now: clock.now,
    setTimer: clock.setTimer,
    onActivity: (entry) => activity.push(entry),
    onPromptsChange: (prompts) => promptChanges.push(prompts),
  });
  return { clock, responder, responses, activity, promptChanges, silentScopes, interactiveScopes };
}

/** Lets pending promise callbacks run. */
const flush = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe("policy", () => {
  it("refuses a resource that is not in allowedResources without asking MSAL", async () => {
    const t = setup({ allowedResources: ["https://graph.microsoft.com/"] });
    await t.responder.handleRequest(request("r1", t.clock.time + 30_000, ARM));
    expect(t.silentScopes).toEqual([]);
    expect(t.responses).toEqual([
      {
        channel: "authbridge",
        v: 1,
        type: "token.response",
        id: "r1",
        ok: false,
        error: { code: "PolicyRefused", message: `The portal's policy does not allow tokens for ${ARM}.` },
      },
    ]);
    expect(t.activity).toMatchObject([{ id: "r1", resource: ARM, outcome: "PolicyRefused" }]);
  });

  it("allows a listed resource, with or without its trailing slash", async () => {
    const t = setup({ allowedResources: ["https://management.azure.com"] });
    await t.responder.handleRequest(request("r1", t.clock.time + 30_000, ARM));
    expect(t.responses[0]?.ok).toBe(true);
  });

  it("allows everything when allowedResources is null", async () => {
    const t = setup({ allowedResources: null });
    await t.responder.handleRequest(request("r1", t.clock.time + 30_000, "https://example.invalid/anything"));
    expect(t.responses[0]?.ok).toBe(true);
  });
});

describe("silent acquisition", () => {
  it("asks MSAL for resource + /.default verbatim and answers with the wire token", async () => {
    const expiresOn = new Date(1_700_003_600_500);
    const t = setup({ silent: () => Promise.resolve({ accessToken: ACCESS_TOKEN, expiresOn }) });
    await t.responder.handleRequest(request("r1", t.clock.time + 30_000));
    expect(t.silentScopes).toEqual([["https://management.azure.com//.default"]]);
    expect(t.responses).toEqual([
      {
        channel: "authbridge",
        v: 1,
        type: "token.response",
        id: "r1",
        ok: true,
        token: { accessToken: ACCESS_TOKEN, expiresOn: 1_700_003_600, notBefore: 1_699_999_000, tokenType: "Bearer", resource: ARM },
      },
    ]);
  });

  it("records activity with outcome and duration, never the token", async () => {
    const gate = deferred<AcquiredToken>();
    const t = setup({ silent: () => gate.promise });
    const done = t.responder.handleRequest(request("r1", t.clock.time + 30_000));
    t.clock.advance(250);
    gate.resolve({ accessToken: ACCESS_TOKEN, expiresOn: new Date(t.clock.time + 3_600_000) });
    await done;
    expect(t.activity).toEqual([{ id: "r1", resource: ARM, outcome: "ok", durationMs: 250, at: t.clock.time }]);
    expect(JSON.stringify(t.activity)).not.toContain(ACCESS_TOKEN);
  });

  it("answers other MSAL errors with their classified code", async () => {
    const t = setup({ silent: () => Promise.reject(new Error("refused")) });
    await t.responder.handleRequest(request("r1", t.clock.time + 30_000));
    expect(t.responses).toMatchObject([{ id: "r1", ok: false, error: { code: "invalid_resource", message: "AADSTS500011: no such resource" } }]);
  });

  it("answers Internal instead of posting a token the console would reject", async () => {
    const t = setup({ silent: () => Promise.resolve({ accessToken: "x".repeat(20_000), expiresOn: new Date(0) }) });
    await t.responder.handleRequest(request("r1", t.clock.time + 30_000));
    expect(t.responses).toMatchObject([{ id: "r1", ok: false, error: { code: "Internal" } }]);
    expect(JSON.stringify(t.responses)).not.toContain("xxxxxxxx");
  });
});

describe("interaction required", () => {
  it("shows a prompt naming the resource and answers with the popup's token after Approve", async () => {
    const t = setup({ silent: () => Promise.reject(INTERACTION) });
    await t.responder.handleRequest(request("r1", t.clock.time + 30_000));
    expect(t.responses).toEqual([]);
    expect(t.responder.prompts()).toEqual([{ resource: ARM, waiting: 1, busy: false }]);

    t.clock.advance(5_000);
    await t.responder.approve();
    expect(t.interactiveScopes).toEqual([["https://management.azure.com//.default"]]);
    expect(t.responses).toMatchObject([{ id: "r1", ok: true, token: { accessToken: ACCESS_TOKEN, resource: ARM } }]);
    expect(t.activity).toMatchObject([{ id: "r1", outcome: "ok", durationMs: 5_000 }]);
    expect(t.responder.prompts()).toEqual([]);
    expect(t.clock.liveTimers).toBe(0);
  });

  it("opens the popup synchronously inside the click", () => {
    const t = setup({ silent: () => Promise.reject(INTERACTION) });
    return t.responder.handleRequest(request("r1", t.clock.time + 30_000)).then(() => {
      void t.responder.approve();
      expect(t.interactiveScopes).toHaveLength(1);
    });
  });

  it("answers InteractionRequired one second before the deadline but keeps the prompt for the next request", async () => {
    const t = setup({ silent: () => Promise.reject(INTERACTION) });
    const deadline = t.clock.time + 30_000;
    await t.responder.handleRequest(request("r1", deadline));
    t.clock.advance(28_999);
    expect(t.responses).toEqual([]);
    t.clock.advance(1);
    expect(t.clock.time).toBe(deadline - 1_000);
    expect(t.responses).toEqual([
      {
        channel: "authbridge",
        v: 1,
        type: "token.response",
        id: "r1",
        ok: false,
        error: { code: "InteractionRequired", message: expect.stringContaining("act in the portal tab") as unknown },
      },
    ]);
    expect(t.responder.prompts()).toEqual([{ resource: ARM, waiting: 0, busy: false }]);

    // A later click still fetches the token (MSAL caches it for the next request) and clears the prompt.
    await t.responder.approve();
    expect(t.interactiveScopes).toHaveLength(1);
    expect(t.responses).toHaveLength(1);
    expect(t.responder.prompts()).toEqual([]);
  });

  it("answers at once when the deadline is already within a second", async () => {
    const t = setup({ silent: () => Promise.reject(INTERACTION) });
    await t.responder.handleRequest(request("r1", t.clock.time + 500));
    t.clock.advance(0);
    expect(t.responses).toMatchObject([{ id: "r1", ok: false, error: { code: "InteractionRequired" } }]);
  });

  it("does not answer twice when the popup finishes after the deadline fallback", async () => {
    const popup = deferred<AcquiredToken>();
    const t = setup({ silent: () => Promise.reject(INTERACTION), interactive: () => popup.promise });
    await t.responder.handleRequest(request("r1", t.clock.time + 10_000));
    const approving = t.responder.approve();
    expect(t.responder.prompts()[0]?.busy).toBe(true);
    t.clock.advance(9_000);
    expect(t.responses).toMatchObject([{ id: "r1", ok: false, error: { code: "InteractionRequired" } }]);
    popup.resolve({ accessToken: ACCESS_TOKEN, expiresOn: new Date(t.clock.time + 3_600_000) });
    await approving;
    expect(t.responses).toHaveLength(1);
    expect(t.responder.prompts()).toEqual([]);
  });

  it("groups requests for one resource under one prompt and answers them all", async () => {
    const t = setup({ silent: () => Promise.reject(INTERACTION) });
    await t.responder.handleRequest(request("a", t.clock.time + 30_000));
    await t.responder.handleRequest(request("b", t.clock.time + 30_000));
    await t.responder.handleRequest(request("g", t.clock.time + 30_000, "https://graph.microsoft.com/"));
    expect(t.responder.prompts()).toEqual([
      { resource: ARM, waiting: 2, busy: false },
      { resource: "https://graph.microsoft.com/", waiting: 1, busy: false },
    ]);
    await t.responder.approve();
    expect(t.responses.map((r) => [r.id, r.ok])).toEqual([
      ["a", true],
      ["b", true],
    ]);
    expect(t.responder.prompts()).toEqual([{ resource: "https://graph.microsoft.com/", waiting: 1, busy: false }]);
  });

  it("ignores a second click while the popup is open", async () => {
    const popup = deferred<AcquiredToken>();
    const t = setup({ silent: () => Promise.reject(INTERACTION), interactive: () => popup.promise });
    await t.responder.handleRequest(request("r1", t.clock.time + 30_000));
    const first = t.responder.approve();
    await t.responder.approve();
    expect(t.interactiveScopes).toHaveLength(1);
    popup.resolve({ accessToken: ACCESS_TOKEN, expiresOn: new Date(t.clock.time + 3_600_000) });
    await first;
  });

  it("answers waiting requests with the popup's error and keeps the prompt for a retry", async () => {
    const t = setup({ silent: () => Promise.reject(INTERACTION), interactive: () => Promise.reject(new Error("cancelled")) });
    await t.responder.handleRequest(request("r1", t.clock.time + 30_000));
    await t.responder.approve();
    expect(t.responses).toMatchObject([{ id: "r1", ok: false, error: { code: "invalid_resource" } }]);
    expect(t.responder.prompts()).toEqual([
      { resource: ARM, waiting: 0, busy: false, error: "invalid_resource: AADSTS500011: no such resource" },
    ]);
    expect(t.clock.liveTimers).toBe(0);
    await flush();
  });

  it("does nothing on Approve when no prompt is open", async () => {
    const t = setup();
    await t.responder.approve();
    expect(t.interactiveScopes).toEqual([]);
  });
});
