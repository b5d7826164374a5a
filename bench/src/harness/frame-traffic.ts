import { PROTOCOL_VERSION } from "@authbridge/protocol";
import type { RawData, WebSocket } from "ws";
import { z } from "zod";
import { BENCH_RESOURCE, benchToken } from "./fake-token.js";

const idFrame = z.object({ id: z.string() });

/** A text frame's content, whatever buffer shape `ws` handed over. */
export function frameText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString("utf8");
  if (Buffer.isBuffer(data)) return data.toString("utf8");
  return Buffer.from(data).toString("utf8");
}

/** The browser side's behaviour: answer every token.request with a token.response for the same id. */
export function answerRequests(browser: WebSocket): void {
  const token = benchToken();
  browser.on("message", (data) => {
    const parsed = idFrame.safeParse(JSON.parse(frameText(data)));
    if (!parsed.success) return;
    browser.send(JSON.stringify({ v: PROTOCOL_VERSION, type: "token.response", id: parsed.data.id, ok: true, token }));
  });
}

export interface TrafficResult {
  /** Completed request/response round trips (2 frames through the relay each). */
  roundTrips: number;
  seconds: number;
  /** Per round trip, ms. */
  latencies: number[];
}

/**
 * Keeps `window` token requests in flight from the agent for `durationMs` (or
 * until `maxRoundTrips`), timing each until its response comes back.
 */
export function driveTraffic(agent: WebSocket, options: { window: number; durationMs: number; maxRoundTrips?: number }): Promise<TrafficResult> {
  const maxRoundTrips = options.maxRoundTrips ?? Number.POSITIVE_INFINITY;
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const until = started + options.durationMs;
  return new Promise((resolve, reject) => {
    function send(): void {
      const id = `r${next++}`;
      sentAt.set(id, performance.now());
      agent.send(JSON.stringify({ v: PROTOCOL_VERSION, type: "token.request", id, resource: BENCH_RESOURCE, deadline: Date.now() + 30_000 }));
    }
    function finish(): void {
      agent.off("message", onMessage);
      clearTimeout(guard);
      resolve({ roundTrips: latencies.length, seconds: (performance.now() - started) / 1000, latencies });
    }
    function onMessage(data: RawData): void {
      const parsed = idFrame.safeParse(JSON.parse(frameText(data)));
      if (!parsed.success) return;
      const at = sentAt.get(parsed.data.id);
      if (at === undefined) return;
      sentAt.delete(parsed.data.id);
      latencies.push(performance.now() - at);
      const done = latencies.length >= maxRoundTrips || performance.now() >= until;
      if (!done && next < maxRoundTrips) send();
      else if (sentAt.size === 0) finish();
    }
    const guard = setTimeout(() => reject(new Error(`traffic stalled: ${sentAt.size} frames unanswered`)), options.durationMs + 30_000);
    agent.on("message", onMessage);
    for (let i = 0; i < options.window && next < maxRoundTrips; i++) send();
  });
}
