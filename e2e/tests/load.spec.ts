import { Agent, request } from "node:http";
import { signInThroughPortal, startStack, type Stack } from "@authbridge/cli";
import { decodeClaims, expect, test } from "../fixtures.js";

/**
 * Load through the real chain: 200 concurrent HTTP clients for
 * AUTHBRIDGE_LOAD_SECONDS (60 s, the documented figure) against two sessions:
 * one whose tokens the endpoint caches (1 h tokens), and one whose tokens it
 * can never cache (2 min tokens, under the 5 min reuse margin), so every one
 * of those requests crosses relay, console, portal, MSAL and the emulator.
 * Zero errors, zero tokens for another audience. Prints
 * `[figures] load: clients 200, seconds S, requests N (cached C, uncached U), errors 0, wrong audience 0`.
 */
const SECONDS = Number(process.env.AUTHBRIDGE_LOAD_SECONDS ?? "60");
const CLIENTS = 200;
const UNCACHED_CLIENTS = 50;
/** A request must be answered within the endpoint's own deadline (30 s) plus slack. */
const REQUEST_DEADLINE_MS = 35_000;
const CACHED_AUDIENCES = ["https://management.azure.com/", "https://graph.microsoft.com/", "https://vault.azure.net", "https://storage.azure.com/"];
const UNCACHED_AUDIENCES = ["https://management.core.windows.net/", "https://graph.windows.net/", "https://datalake.azure.net/"];

interface Tally {
  requests: number;
  errors: string[];
  wrongAudience: number;
  maxMs: number;
}

function tokenRequest(agent: Agent, endpointUrl: string, resource: string): Promise<{ status: number; body: string }> {
  const url = new URL("/oauth2/token", endpointUrl);
  const body = `resource=${encodeURIComponent(resource)}`;
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", agent, headers: { metadata: "true", "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(body) }, timeout: REQUEST_DEADLINE_MS }, (res) => {
      let text = "";
      res.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`no answer within ${REQUEST_DEADLINE_MS} ms`)));
    req.on("error", reject);
    req.end(body);
  });
}

function sameAudience(aud: unknown, resource: string): boolean {
  return typeof aud === "string" && (aud === resource || aud === `${resource}/` || `${aud}/` === resource);
}

async function client(agent: Agent, endpointUrl: string, audiences: readonly string[], offset: number, until: number, tally: Tally): Promise<void> {
  for (let i = offset; performance.now() < until; i++) {
    const resource = audiences[i % audiences.length] ?? "";
    const started = performance.now();
    tally.requests++;
    try {
      const { status, body } = await tokenRequest(agent, endpointUrl, resource);
      tally.maxMs = Math.max(tally.maxMs, performance.now() - started);
      if (status !== 200) {
        tally.errors.push(`${status} ${body.slice(0, 200)}`);
        continue;
      }
      const parsed: unknown = JSON.parse(body);
      const token = typeof parsed === "object" && parsed !== null && "access_token" in parsed ? parsed.access_token : undefined;
      if (typeof token !== "string" || !sameAudience(decodeClaims(token).aud, resource)) tally.wrongAudience++;
    } catch (error) {
      tally.errors.push(error instanceof Error ? error.message : String(error));
    }
  }
}

test("200 concurrent clients on cached and uncached audiences: no errors, no wrong audience", async ({ browser, session }) => {
  test.setTimeout(SECONDS * 1000 + 120_000);
  // The uncached session: a stack whose emulator issues 2-minute tokens, which the endpoint never reuses.
  let uncachedStack: Stack | undefined;
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  try {
    uncachedStack = await startStack({ endpointPort: 0, logLevel: "warn", emulator: { accessTokenLifetimeSec: 120 } });
    const user = uncachedStack.users[0];
    if (user === undefined) throw new Error("no demo user");
    const { endpointUrl: uncachedUrl } = await signInThroughPortal(await context.newPage(), uncachedStack, user);

    const cached: Tally = { requests: 0, errors: [], wrongAudience: 0, maxMs: 0 };
    const uncached: Tally = { requests: 0, errors: [], wrongAudience: 0, maxMs: 0 };
    const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
    const until = performance.now() + SECONDS * 1000;
    await Promise.all([
      ...Array.from({ length: CLIENTS - UNCACHED_CLIENTS }, (_, i) => client(agent, session.endpointUrl, CACHED_AUDIENCES, i, until, cached)),
      ...Array.from({ length: UNCACHED_CLIENTS }, (_, i) => client(agent, uncachedUrl, UNCACHED_AUDIENCES, i, until, uncached)),
    ]);
    agent.destroy();

    const errors = cached.errors.length + uncached.errors.length;
    const wrong = cached.wrongAudience + uncached.wrongAudience;
    console.log(
      `[figures] load: clients ${CLIENTS}, seconds ${SECONDS}, requests ${cached.requests + uncached.requests} (cached ${cached.requests}, uncached ${uncached.requests}), errors ${errors}, wrong audience ${wrong}, slowest ${Math.round(Math.max(cached.maxMs, uncached.maxMs))} ms`,
    );
    expect([...cached.errors, ...uncached.errors].slice(0, 5)).toEqual([]);
    expect(wrong).toBe(0);
    // The uncached requests really went through the browser: the emulator issued tokens throughout the run.
    const issued = Object.values(uncachedStack.emulator.stats().tokensIssued).reduce((sum, count) => sum + count, 0);
    expect(issued).toBeGreaterThan(UNCACHED_AUDIENCES.length);
    expect(uncached.requests).toBeGreaterThan(UNCACHED_CLIENTS);
    expect(cached.requests).toBeGreaterThan(CLIENTS);
  } finally {
    await context.close();
    await uncachedStack?.close();
  }
});
