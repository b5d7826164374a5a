import { execFileSync } from "node:child_process";
import { forkChild } from "../harness/child.js";
import { accepting, launchedMessage, memoryMessage, pairedMessage, readyMessage, type MemoryMessage } from "../harness/messages.js";
import { round } from "../stats.js";
import { verdict, type Row } from "../table.js";

export interface SessionsOptions {
  /** Session counts to measure at, ascending (e.g. 1000, 10000). */
  levels: number[];
  /** Sessions opened before the baseline so code paths and pools are warm. */
  warmup: number;
}

export interface SessionsLevel {
  sessions: number;
  memory: MemoryMessage;
  /** Bytes per session over the baseline. */
  heapPerSession: number;
  rssPerSession: number;
}

export interface SessionsResult {
  baseline: MemoryMessage;
  levels: SessionsLevel[];
  rows: Row[];
  /** The levels asked for that this machine's file-descriptor limit cannot hold, and why. */
  capped: string | undefined;
}

const KIB = 1024;
/** File descriptors the relay needs besides the sessions' sockets (listener, JWKS, stdio, …). */
const FD_MARGIN = 300;

/** The soft limit on open files, which bounds the sockets (2 per paired session) one process may hold. */
export function openFileLimit(): number {
  const out = execFileSync("sh", ["-c", "ulimit -n"], { encoding: "utf8" }).trim();
  return out === "unlimited" ? Number.POSITIVE_INFINITY : Number(out);
}

/**
 * Idle paired sessions in one relay process: the relay runs in a child with
 * --expose-gc and reports heap and RSS after full GCs; agents and browsers are
 * `ws` clients in another child. Memory per session = growth over a baseline
 * taken after `warmup` sessions, divided by the sessions added.
 */
export async function sessions(options: SessionsOptions): Promise<SessionsResult> {
  const maxByFds = Math.floor((openFileLimit() - FD_MARGIN) / 2 / 500) * 500;
  const levels = options.levels.map((level) => Math.min(level, maxByFds));
  const top = Math.max(...levels);
  const capped = levels.some((level, i) => level !== options.levels[i])
    ? `${Math.max(...options.levels)} paired sessions need ${2 * Math.max(...options.levels)} sockets in the relay process; this machine's open-file limit is ${openFileLimit()}, so the top level ran at ${top}`
    : undefined;

  const relay = forkChild("relay-server", { execArgv: ["--expose-gc"], env: { BENCH_MAX_SESSIONS: String(top + options.warmup + 10), BENCH_LOG_LEVEL: "info" } });
  const clients = forkChild("session-clients");
  try {
    const ready = await relay.next(accepting(readyMessage));
    await clients.next(accepting(readyMessage));
    relay.process.on("message", (message: unknown) => {
      const launched = launchedMessage.safeParse(message);
      if (launched.success) clients.send(launched.data);
    });
    const userToken = ready.userToken ?? "";
    const openUpTo = async (total: number, opened: number): Promise<void> => {
      clients.send({ type: "open", url: ready.url, userToken, count: total - opened });
      const paired = await clients.next(accepting(pairedMessage), 600_000);
      if (paired.total !== total) throw new Error(`expected ${total} paired sessions, the clients hold ${paired.total}`);
    };
    const measure = async (): Promise<MemoryMessage> => {
      relay.send({ type: "measure" });
      return relay.next(accepting(memoryMessage));
    };

    await openUpTo(options.warmup, 0);
    const baseline = await measure();
    const results: SessionsLevel[] = [];
    let opened = options.warmup;
    for (const level of [...new Set(levels)]) {
      await openUpTo(options.warmup + level, opened);
      opened = options.warmup + level;
      const memory = await measure();
      if (memory.sessions !== opened) throw new Error(`the relay holds ${memory.sessions} sessions, expected ${opened}`);
      results.push({
        sessions: level,
        memory,
        heapPerSession: (memory.heapUsed + memory.external - baseline.heapUsed - baseline.external) / level,
        rssPerSession: (memory.rss - baseline.rss) / level,
      });
    }
    return { baseline, levels: results, rows: rowsFor(results), capped };
  } finally {
    await clients.stop();
    await relay.stop();
  }
}

function rowsFor(levels: readonly SessionsLevel[]): Row[] {
  const rows: Row[] = levels.map((level) => ({
    scenario: "sessions",
    metric: `memory per idle paired session @ ${level.sessions}`,
    value: `${round(level.heapPerSession / KIB)} KiB heap+ext`,
    baseline: `${round(level.rssPerSession / KIB)} KiB RSS`,
    ratio: `${round(level.heapPerSession / KIB)} KiB`,
    target: "≤ 10 KiB",
    met: verdict(level.heapPerSession <= 10 * KIB),
  }));
  const first = levels[0];
  const last = levels[levels.length - 1];
  if (first !== undefined && last !== undefined && last !== first) {
    const growth = last.heapPerSession / first.heapPerSession;
    rows.push({
      scenario: "sessions",
      metric: `linear growth (${first.sessions} → ${last.sessions})`,
      value: `${round(last.heapPerSession / KIB)} vs ${round(first.heapPerSession / KIB)} KiB`,
      baseline: "per-session cost flat",
      ratio: `${round(growth, 2)}×`,
      target: "0.8–1.25×",
      met: verdict(growth >= 0.8 && growth <= 1.25),
    });
  }
  return rows;
}
