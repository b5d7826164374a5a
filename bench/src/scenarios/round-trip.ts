import type { Browser, Page } from "playwright-core";
import { launchChromium, signInThroughPortal, startStack, type Stack, type StackOptions } from "@authbridge/cli";
import { z } from "zod";
import { percentiles, round, type Percentiles } from "../stats.js";
import { verdict, type Row } from "../table.js";

export interface RoundTripOptions {
  /** Uncached requests measured (after `warmup` unmeasured ones). */
  requests: number;
  warmup: number;
  /**
   * Distinct audiences the requests cycle through. Their tokens are issued for
   * `SHORT_TOKEN_LIFETIME_SEC`, inside both caches' renewal margin, so neither
   * the endpoint nor MSAL can serve one: each request is a full round trip,
   * while MSAL's cache stays the size a real session's is.
   */
  audiences: number;
  /** Concurrent requests for one uncached audience. */
  stampede: number;
}

export interface ColdSample {
  totalMs: number;
  emulatorMs: number;
  /** The portal's own measure of its MSAL call (activity list, whole ms): emulator time plus MSAL's in the browser. */
  portalMs: number;
}

export interface StampedeResult {
  requests: number;
  ok: number;
  sameToken: boolean;
  /** Access tokens the emulator issued for the audience. */
  emulatorTokens: number;
  /** Entries the portal's activity list gained (one per browser round trip). */
  portalRoundTrips: number;
}

export interface RoundTripResult {
  total: Percentiles;
  emulator: Percentiles;
  overhead: Percentiles;
  /** MSAL in the browser: portal time − emulator time. */
  msal: Percentiles;
  /** endpoint + relay + console + postMessage, both ways: end to end − portal time. */
  transport: Percentiles;
  stampede: StampedeResult;
  rows: Row[];
}

const tokenJson = z.object({ access_token: z.string() });

/**
 * Below the endpoint's cache skew (300 s) and MSAL's renewal offset (300 s):
 * a token this short-lived is never served from either cache.
 */
export const SHORT_TOKEN_LIFETIME_SEC = 120;

/** Distinct audiences, each allowlisted by AUTHBRIDGE_ALLOWLIST_EXTRA. */
export function benchAudiences(count: number, prefix: string): string[] {
  return Array.from({ length: count }, (_, i) => `https://${prefix}-${i}.bench.invalid/`);
}

async function requestToken(endpointUrl: string, resource: string): Promise<{ status: number; accessToken: string | undefined }> {
  const response = await fetch(`${endpointUrl}/oauth2/token`, {
    method: "POST",
    headers: { metadata: "true", "content-type": "application/x-www-form-urlencoded" },
    body: `resource=${encodeURIComponent(resource)}`,
  });
  const parsed = tokenJson.safeParse(await response.json());
  return { status: response.status, accessToken: parsed.success ? parsed.data.access_token : undefined };
}

function activityFor(page: Page, resource: string) {
  return page.locator('[data-testid="activity"] li').filter({ hasText: resource });
}

/** The duration of the portal's newest activity entry, which must be for `resource` (requests run one at a time). */
async function portalDuration(page: Page, resource: string): Promise<number> {
  const newest = page.locator('[data-testid="activity"] li').last();
  const shown = (await newest.locator(".resource").textContent({ timeout: 5_000 })) ?? "";
  if (shown !== resource) throw new Error(`the portal's newest activity is for ${shown}, not ${resource}`);
  const text = (await newest.locator(".duration").textContent({ timeout: 5_000 })) ?? "";
  const ms = Number.parseInt(text, 10);
  if (!Number.isFinite(ms)) throw new Error("the portal's activity list shows no duration");
  return ms;
}

async function coldSample(stack: Stack, page: Page, endpointUrl: string, resource: string): Promise<ColdSample> {
  const before = stack.emulator.stats();
  const started = performance.now();
  const { status } = await requestToken(endpointUrl, resource);
  const totalMs = performance.now() - started;
  const after = stack.emulator.stats();
  if (status !== 200) throw new Error(`uncached request answered HTTP ${status}`);
  const issued = (after.tokensIssued[resource] ?? 0) - (before.tokensIssued[resource] ?? 0);
  if (issued !== 1 || after.tokenRequests - before.tokenRequests !== 1) throw new Error("an uncached request did not make exactly one emulator token request");
  return { totalMs, emulatorMs: after.tokenHandlingMs - before.tokenHandlingMs, portalMs: await portalDuration(page, resource) };
}

export async function stampede(stack: Stack, page: Page, endpointUrl: string, resource: string, count: number): Promise<StampedeResult> {
  // The activity list keeps only its latest entries, so count this audience's.
  const activity = activityFor(page, resource);
  const before = await activity.count();
  const results = await Promise.all(Array.from({ length: count }, () => requestToken(endpointUrl, resource)));
  // Give a stray second round trip time to show up before counting.
  await page.waitForTimeout(300);
  const tokens = new Set(results.map((result) => result.accessToken));
  return {
    requests: count,
    ok: results.filter((result) => result.status === 200).length,
    sameToken: tokens.size === 1 && !tokens.has(undefined),
    emulatorTokens: stack.emulator.stats().tokensIssued[resource] ?? 0,
    portalRoundTrips: (await activity.count()) - before,
  };
}

export interface SignedInStack {
  stack: Stack;
  browser: Browser;
  page: Page;
  endpointUrl: string;
  close(): Promise<void>;
}

/** The whole stack on free ports, headless Chromium signed in through the portal, the audiences allowlisted. */
export async function signedInStack(audiences: readonly string[], emulator: StackOptions["emulator"] = {}): Promise<SignedInStack> {
  const stack = await startStack({ endpointPort: 0, logLevel: "warn", emulator, endpointEnv: { AUTHBRIDGE_ALLOWLIST_EXTRA: audiences.join(",") } });
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    // The emulator serves https with its own self-signed certificate.
    const page = await (await browser.newContext({ ignoreHTTPSErrors: true })).newPage();
    const user = stack.users[0];
    if (user === undefined) throw new Error("no demo user");
    const { endpointUrl } = await signInThroughPortal(page, stack, user);
    const opened = browser;
    return { stack, browser: opened, page, endpointUrl, close: async () => (await opened.close(), await stack.close()) };
  } catch (error) {
    await browser?.close();
    await stack.close();
    throw error;
  }
}

/**
 * Uncached requests one at a time through endpoint → relay → Chromium console
 * → portal (MSAL) → emulator → back; the emulator's own handling time (its
 * stats) is subtracted to give the bridge's overhead. Then the stampede.
 */
export async function roundTrip(options: RoundTripOptions): Promise<RoundTripResult> {
  const audiences = benchAudiences(options.audiences, "cold");
  const stampedeAudience = benchAudiences(1, "stampede")[0] ?? "";
  const signedIn = await signedInStack([...audiences, stampedeAudience], { accessTokenLifetimeSec: SHORT_TOKEN_LIFETIME_SEC });
  try {
    const { stack, page, endpointUrl } = signedIn;
    const samples: ColdSample[] = [];
    for (let i = 0; i < options.warmup + options.requests; i++) {
      const sample = await coldSample(stack, page, endpointUrl, audiences[i % audiences.length] ?? "");
      if (i >= options.warmup) samples.push(sample);
    }
    const stampeded = await stampede(stack, page, endpointUrl, stampedeAudience, options.stampede);
    const total = percentiles(samples.map((s) => s.totalMs));
    const emulator = percentiles(samples.map((s) => s.emulatorMs));
    const overhead = percentiles(samples.map((s) => s.totalMs - s.emulatorMs));
    const msal = percentiles(samples.map((s) => Math.max(0, s.portalMs - s.emulatorMs)));
    const transport = percentiles(samples.map((s) => Math.max(0, s.totalMs - s.portalMs)));
    const result = { total, emulator, overhead, msal, transport, stampede: stampeded };
    return { ...result, rows: rowsFor(result) };
  } finally {
    await signedIn.close();
  }
}

function ms(p: Percentiles): string {
  return `${round(p.p50)} / ${round(p.p90)} / ${round(p.p99)} ms`;
}

function rowsFor(r: Omit<RoundTripResult, "rows">): Row[] {
  const { total, emulator, overhead, msal, transport, stampede: s } = r;
  const scenario = "cold round trip";
  const info = (metric: string, value: string, baseline = "—"): Row => ({ scenario, metric, value, baseline, ratio: "—", target: "—", met: "—" });
  return [
    info(`end to end p50/p90/p99 (n=${total.count})`, ms(total)),
    info("emulator's own time p50/p90/p99", ms(emulator), "its token route, first byte in to last out"),
    info("  of the overhead: MSAL in Chromium", ms(msal), "portal's MSAL call − emulator"),
    info("  of the overhead: endpoint+relay+console", ms(transport), "end to end − portal's MSAL call"),
    {
      scenario,
      metric: "bridge overhead p50/p90/p99",
      value: ms(overhead),
      baseline: "end to end − emulator",
      ratio: `p50 ${round(overhead.p50)}, p99 ${round(overhead.p99)} ms`,
      target: "p50 ≤ 15, p99 ≤ 50 ms",
      met: verdict(overhead.p50 <= 15 && overhead.p99 <= 50),
    },
    {
      scenario: "stampede",
      metric: `${s.requests} concurrent, one uncached audience`,
      value: `${s.emulatorTokens} emulator token(s), ${s.portalRoundTrips} portal round trip(s)`,
      baseline: `${s.ok}/${s.requests} HTTP 200${s.sameToken ? ", one token" : ", tokens differ"}`,
      ratio: `${s.portalRoundTrips} round trip(s)`,
      target: "exactly 1",
      met: verdict(s.emulatorTokens === 1 && s.portalRoundTrips === 1 && s.ok === s.requests && s.sameToken),
    },
  ];
}
