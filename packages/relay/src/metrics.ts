import { Counter, Gauge, Histogram, Registry } from "prom-client";

/** What a session reports: counter increments and one histogram observation per answered request. */
export interface SessionMetrics {
  /** A token request the agent sent ended with `outcome` ("ok", the browser's error code, or the relay's). */
  outcome(outcome: string): void;
  /** A forwarded request was answered by the browser after this long. */
  roundTrip(ms: number): void;
}

export const NO_SESSION_METRICS: SessionMetrics = { outcome: () => undefined, roundTrip: () => undefined };

export interface RelayMetrics extends SessionMetrics {
  /** A WebSocket upgrade was refused with this code. */
  upgradeRefused(code: string): void;
  readonly contentType: string;
  render(): Promise<string>;
}

const ROUND_TRIP_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Browser error codes are outside input; bound the label's cardinality. */
const MAX_OUTCOMES = 64;

/** The relay's Prometheus metrics, in a registry of its own. */
export function createRelayMetrics(sessions: () => number): RelayMetrics {
  const registry = new Registry();
  const requests = new Counter({ name: "authbridge_relay_token_requests_total", help: "Token requests from agents by outcome (ok or the error code).", labelNames: ["outcome"], registers: [registry] });
  const refused = new Counter({ name: "authbridge_relay_upgrades_refused_total", help: "WebSocket upgrades refused, by error code.", labelNames: ["code"], registers: [registry] });
  const roundTrips = new Histogram({
    name: "authbridge_relay_round_trip_seconds",
    help: "Time from forwarding a token request to the browser to its answer.",
    buckets: ROUND_TRIP_BUCKETS,
    registers: [registry],
  });
  new Gauge({
    name: "authbridge_relay_sessions",
    help: "Live sessions.",
    registers: [registry],
    collect() {
      this.set(sessions());
    },
  });
  const seen = new Set<string>();
  return {
    contentType: registry.contentType,
    render: () => registry.metrics(),
    outcome(outcome) {
      if (!seen.has(outcome) && seen.size >= MAX_OUTCOMES) {
        requests.inc({ outcome: "other" });
        return;
      }
      seen.add(outcome);
      requests.inc({ outcome });
    },
    roundTrip: (ms) => roundTrips.observe(ms / 1000),
    upgradeRefused: (code) => refused.inc({ code }),
  };
}
