import { describe, expect, it } from "vitest";
import { createRelayApi, RelayApiError, type FetchLike } from "../src/relay-api.js";

const BASE = "http://127.0.0.1:5000";
const session = {
  sessionId: "s-1",
  consoleUrl: "http://127.0.0.1:5174/",
  ticket: "AbCdEfGhIjKlMnOpQrStUvWxYz012345",
  expiresAt: "2026-01-01T00:00:00.000Z",
  endpointUrl: "http://127.0.0.1:50342",
};

function api(answer: (url: string, init: RequestInit) => Response | Promise<Response>, getAccessToken = () => Promise.resolve("relay-token")) {
  const calls: { url: string; method: string | undefined; authorization: string | null }[] = [];
  const fetch: FetchLike = (url, init) => {
    calls.push({ url, method: init.method, authorization: new Headers(init.headers).get("authorization") });
    return Promise.resolve(answer(url, init));
  };
  return { api: createRelayApi({ baseUrl: BASE, fetch, getAccessToken }), calls };
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

describe("relay API", () => {
  it("creates a session with the bearer token and validates the answer", async () => {
    const { api: relay, calls } = api(() => json(session, 201));
    expect(await relay.createSession()).toEqual(session);
    expect(calls).toEqual([{ url: `${BASE}/api/sessions`, method: "POST", authorization: "Bearer relay-token" }]);
  });

  it("mints a ticket and ends a session at the session's URL", async () => {
    const { api: relay, calls } = api((url) => (url.endsWith("/tickets") ? json({ ticket: "t".repeat(32), expiresAt: session.expiresAt }, 201) : new Response(null, { status: 204 })));
    expect(await relay.mintTicket("s 1")).toEqual({ ticket: "t".repeat(32), expiresAt: session.expiresAt });
    await relay.endSession("s 1");
    expect(calls.map((c) => [c.method, c.url])).toEqual([
      ["POST", `${BASE}/api/sessions/s%201/tickets`],
      ["DELETE", `${BASE}/api/sessions/s%201`],
    ]);
  });

  it("rejects an answer that does not match the contract", async () => {
    const { api: relay } = api(() => json({ ...session, expiresAt: "tomorrow" }, 201));
    await expect(relay.createSession()).rejects.toMatchObject({ code: "ProtocolError", message: expect.stringContaining("expiresAt") as unknown });
  });

  it("surfaces the relay's error code and status", async () => {
    const { api: relay } = api(() => json({ error: { code: "TooManySessions", message: "Limit reached." } }, 429));
    const error: unknown = await relay.createSession().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RelayApiError);
    expect(error).toMatchObject({ code: "TooManySessions", message: "Limit reached.", status: 429 });
  });

  it("maps a bare 5xx and a network failure to RelayUnavailable", async () => {
    await expect(api(() => new Response("bad gateway", { status: 502 })).api.createSession()).rejects.toMatchObject({ code: "RelayUnavailable", status: 502 });
    await expect(api(() => Promise.reject(new TypeError("Failed to fetch"))).api.createSession()).rejects.toMatchObject({ code: "RelayUnavailable" });
  });

  it("reports a failure to get the relay token as Unauthorized without calling the relay", async () => {
    const { api: relay, calls } = api(() => json(session, 201), () => Promise.reject(new Error("interaction_required")));
    await expect(relay.createSession()).rejects.toMatchObject({ code: "Unauthorized", status: 401 });
    expect(calls).toEqual([]);
  });
});
