/**
 * `npm run bench`: every scenario, each against a baseline measured in the
 * same run, printed as one Markdown table (also written to bench/results/).
 * `--only=cache,relay,sessions,round-trip` runs a subset.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { cacheHit } from "./scenarios/cache-hit.js";
import { relayForwarding } from "./scenarios/relay-forwarding.js";
import { roundTrip } from "./scenarios/round-trip.js";
import { sessions } from "./scenarios/sessions.js";
import { formatTable, type Row } from "./table.js";

const SCENARIOS = ["cache", "round-trip", "relay", "sessions"] as const;
type Scenario = (typeof SCENARIOS)[number];

function selected(): Set<Scenario> {
  const only = process.argv.find((arg) => arg.startsWith("--only="));
  if (only === undefined) return new Set(SCENARIOS);
  const names = only.slice("--only=".length).split(",");
  return new Set(SCENARIOS.filter((name) => names.includes(name)));
}

function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

async function main(): Promise<void> {
  const run = selected();
  const rows: Row[] = [];
  const notes: string[] = [];
  const started = performance.now();
  if (run.has("cache")) {
    log("cache hit: endpoint vs bare node:http (autocannon, 50 connections)…");
    rows.push(...(await cacheHit({ connections: 50, seconds: 5, rounds: 3 })).rows);
  }
  if (run.has("round-trip")) {
    log("cold round trip and stampede through headless Chromium…");
    rows.push(...(await roundTrip({ requests: 200, warmup: 10, audiences: 5, stampede: 100 })).rows);
  }
  if (run.has("relay")) {
    log("relay forwarding vs a raw ws forwarder…");
    rows.push(...(await relayForwarding({ window: 32, durationMs: 5_000, sequential: 2_000, rounds: 2 })).rows);
  }
  if (run.has("sessions")) {
    log("idle paired sessions in one relay process (this takes a minute)…");
    const result = await sessions({ levels: [1_000, 10_000], warmup: 200 });
    rows.push(...result.rows);
    if (result.capped !== undefined) notes.push(result.capped);
  }
  const machine = `${cpus().length} cores (${cpus()[0]?.model.trim() ?? "unknown CPU"}), Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
  const table = formatTable(rows);
  const report = [table, "", `Machine: ${machine}; took ${Math.round((performance.now() - started) / 1000)} s.`, ...notes.map((note) => `Note: ${note}.`)].join("\n");
  process.stdout.write(`${report}\n`);
  const resultsDir = fileURLToPath(new URL("../results/", import.meta.url));
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(`${resultsDir}latest.md`, `${report}\n`);
  writeFileSync(`${resultsDir}latest.json`, `${JSON.stringify({ machine, rows, notes }, null, 2)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
