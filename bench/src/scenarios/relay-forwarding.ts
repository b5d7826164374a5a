import { WebSocket } from "ws";
import { forkChild, type Child } from "../harness/child.js";
import { cpuMicros } from "../harness/cpu.js";
import { answerRequests, driveTraffic, type TrafficResult } from "../harness/frame-traffic.js";
import { accepting, launchedMessage, readyMessage } from "../harness/messages.js";
import { connectAgent, connectBrowser, createSession } from "../harness/relay-clients.js";
import { percentiles, ratio, round } from "../stats.js";
import { verdict, type Row } from "../table.js";

export interface ForwardingOptions {
  /** Requests kept in flight for the throughput run. */
  window: number;
  durationMs: number;
  /** Sequential requests for the unloaded latency run. */
  sequential: number;
  /** Each side is measured this many times, interleaved; the best run counts. */
  rounds: number;
}

export interface ForwardingRun {
  loaded: TrafficResult;
  sequential: TrafficResult;
  /** Server process CPU per forwarded frame (µs) during the loaded run. */
  cpuMicrosPerFrame: number;
}

export interface ForwardingResult {
  relay: ForwardingRun;
  raw: ForwardingRun;
  rows: Row[];
}

interface Pair {
  agent: WebSocket;
  browser: WebSocket;
}

async function relayPair(child: Child): Promise<Pair> {
  const ready = await child.next(accepting(readyMessage));
  const launched = child.next(accepting(launchedMessage));
  const session = await createSession(ready.url, ready.userToken ?? "");
  const { agentToken } = await launched;
  const agent = await connectAgent(ready.url, session.sessionId, agentToken);
  const browser = await connectBrowser(ready.url, session.ticket);
  return { agent, browser };
}

async function rawPair(child: Child): Promise<Pair> {
  const ready = await child.next(accepting(readyMessage));
  const base = ready.url.replace(/^http/, "ws");
  const open = (path: string): Promise<WebSocket> =>
    new Promise((resolve, reject) => {
      const socket = new WebSocket(`${base}${path}`, { perMessageDeflate: false });
      socket.once("open", () => resolve(socket));
      socket.once("error", reject);
    });
  return { agent: await open("/agent"), browser: await open("/browser") };
}

/** Frames through the server per second: each round trip is two (request and response). */
export function framesPerSecond(result: TrafficResult): number {
  return (2 * result.roundTrips) / result.seconds;
}

async function measure(child: Child, pair: Pair, options: ForwardingOptions): Promise<ForwardingRun> {
  answerRequests(pair.browser);
  await driveTraffic(pair.agent, { window: options.window, durationMs: Math.min(1000, options.durationMs / 4) }); // warm-up
  const cpuBefore = await cpuMicros(child);
  const loaded = await driveTraffic(pair.agent, { window: options.window, durationMs: options.durationMs });
  const cpuMicrosPerFrame = ((await cpuMicros(child)) - cpuBefore) / Math.max(1, 2 * loaded.roundTrips);
  const sequential = await driveTraffic(pair.agent, { window: 1, durationMs: 60_000, maxRoundTrips: options.sequential });
  pair.agent.close();
  pair.browser.close();
  return { loaded, sequential, cpuMicrosPerFrame };
}

async function run(name: "relay-server" | "raw-forwarder", options: ForwardingOptions): Promise<ForwardingRun> {
  const child = forkChild(name, { env: { BENCH_MAX_SESSIONS: "5", BENCH_LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "info" } });
  try {
    const pair = name === "relay-server" ? await relayPair(child) : await rawPair(child);
    return await measure(child, pair, options);
  } finally {
    await child.stop();
  }
}

function best(runs: readonly ForwardingRun[]): ForwardingRun {
  const top = [...runs].sort((a, b) => framesPerSecond(b.loaded) - framesPerSecond(a.loaded))[0];
  if (top === undefined) throw new Error("no runs");
  return { ...top, cpuMicrosPerFrame: Math.min(...runs.map((r) => r.cpuMicrosPerFrame)) };
}

/**
 * agent ws ⇄ relay ⇄ browser ws through the real relay (a session created with
 * a user JWT, the agent token from the external launcher, the browser with a
 * ticket), against the same two clients through a bare `ws` forwarder. Each
 * round trip is one token.request and one token.response (~1.7 KiB) frame.
 */
export async function relayForwarding(options: ForwardingOptions): Promise<ForwardingResult> {
  const rawRuns: ForwardingRun[] = [];
  const relayRuns: ForwardingRun[] = [];
  for (let i = 0; i < options.rounds; i++) {
    rawRuns.push(await run("raw-forwarder", options));
    relayRuns.push(await run("relay-server", options));
  }
  const raw = best(rawRuns);
  const relay = best(relayRuns);
  return { relay, raw, rows: rowsFor(relay, raw, options) };
}

function rowsFor(relay: ForwardingRun, raw: ForwardingRun, options: ForwardingOptions): Row[] {
  const relayRate = framesPerSecond(relay.loaded);
  const rawRate = framesPerSecond(raw.loaded);
  const relayLoaded = percentiles(relay.loaded.latencies);
  const rawLoaded = percentiles(raw.loaded.latencies);
  const relaySeq = percentiles(relay.sequential.latencies);
  const rawSeq = percentiles(raw.sequential.latencies);
  const scenario = "relay forwarding";
  const info = (metric: string, value: string, baseline: string, shown: string): Row => ({ scenario, metric, value, baseline, ratio: shown, target: "—", met: "—" });
  return [
    {
      scenario,
      metric: `frames/s (${options.window} requests in flight)`,
      value: `${Math.round(relayRate)}`,
      baseline: `${Math.round(rawRate)} raw ws`,
      ratio: `${ratio(relayRate, rawRate)}×`,
      target: "≥ 0.8×",
      met: verdict(relayRate / rawRate >= 0.8),
    },
    info("round trip p50/p99 under load", `${round(relayLoaded.p50, 2)} / ${round(relayLoaded.p99, 2)} ms`, `${round(rawLoaded.p50, 2)} / ${round(rawLoaded.p99, 2)} ms`, `${ratio(rawLoaded.p50, relayLoaded.p50)}× (p50)`),
    info("round trip p50/p99, one at a time", `${round(relaySeq.p50, 3)} / ${round(relaySeq.p99, 3)} ms`, `${round(rawSeq.p50, 3)} / ${round(rawSeq.p99, 3)} ms`, `${ratio(rawSeq.p50, relaySeq.p50)}× (p50)`),
    info("server CPU per frame (steadier)", `${round(relay.cpuMicrosPerFrame)} µs`, `${round(raw.cpuMicrosPerFrame)} µs`, `${ratio(raw.cpuMicrosPerFrame, relay.cpuMicrosPerFrame)}× (baseline ÷ value)`),
  ];
}
