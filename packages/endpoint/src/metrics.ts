import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { RelayAgentStatus } from "./agent/relay-agent.js";

/**
 * What the token route reports. Kept to counter increments on pre-bound
 * label children (a Map lookup and an add): no middleware, no timers, no
 * allocation per cached request.
 */
export interface TokenMetrics {
  /** One token request ended with `outcome` ("ok" or an error code). */
  outcome(outcome: string): void;
  /** Served from the cache. */
  cacheHit(): void;
  /** A browser round trip (cache miss) took this long. */
  roundTrip(ms: number): void;
}

export const NO_METRICS: TokenMetrics = {
  outcome: () => undefined,
  cacheHit: () => undefined,
  roundTrip: () => undefined,
};

export interface EndpointMetrics extends TokenMetrics {
  readonly contentType: string;
  /** The Prometheus text exposition. */
  render(): Promise<string>;
}

/** Round trips go through a browser and AAD: tens of milliseconds to tens of seconds. */
const ROUND_TRIP_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Prometheus metrics of one endpoint, in a registry of its own (several endpoints may share a process in tests). */
export function createEndpointMetrics(status: () => RelayAgentStatus): EndpointMetrics {
  const registry = new Registry();
  const requests = new Counter({ name: "authbridge_endpoint_token_requests_total", help: "Token requests by outcome (ok or the error code).", labelNames: ["outcome"], registers: [registry] });
  const cacheHits = new Counter({ name: "authbridge_endpoint_cache_hits_total", help: "Token requests served from the cache.", registers: [registry] });
  const roundTrips = new Histogram({
    name: "authbridge_endpoint_round_trip_seconds",
    help: "Time of a token request that went through the browser (a cache miss).",
    buckets: ROUND_TRIP_BUCKETS,
    registers: [registry],
  });
  new Gauge({
    name: "authbridge_endpoint_relay_connected",
    help: "1 while the agent socket to the relay is open.",
    registers: [registry],
    collect() {
      this.set(status().relay === "connected" ? 1 : 0);
    },
  });
  new Gauge({
    name: "authbridge_endpoint_browser_attached",
    help: "1 while a browser is attached to this endpoint's session.",
    registers: [registry],
    collect() {
      this.set(status().browser ? 1 : 0);
    },
  });
  const byOutcome = new Map<string, Counter.Internal>();
  /** Outcomes include AAD's error codes; bound the label's cardinality. */
  const MAX_OUTCOMES = 64;
  return {
    contentType: registry.contentType,
    render: () => registry.metrics(),
    outcome(outcome) {
      let child = byOutcome.get(outcome);
      if (child === undefined) {
        if (byOutcome.size >= MAX_OUTCOMES) {
          requests.labels("other").inc();
          return;
        }
        child = requests.labels(outcome);
        byOutcome.set(outcome, child);
      }
      child.inc();
    },
    cacheHit: () => cacheHits.inc(),
    roundTrip: (ms) => roundTrips.observe(ms / 1000),
  };
}
