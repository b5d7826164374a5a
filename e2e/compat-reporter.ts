import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FullResult, Reporter, TestCase, TestResult } from "@playwright/test/reporter";

/** Where the compat suite's outcome lands; `scripts/compat-matrix.js` turns it into the README's matrix. */
export const COMPAT_RESULTS_PATH = join(dirname(fileURLToPath(import.meta.url)), "test-results", "compat-results.json");

export interface CompatRow {
  client: string;
  version: string;
  dialect: string;
  checks: string;
  test: string;
  /** Playwright's final status for the test (after retries). */
  status: "passed" | "failed" | "timedOut" | "skipped" | "interrupted";
  /** The reason given to test.skip(condition, reason), when skipped. */
  reason?: string;
}

function parseEntry(text: string | undefined): Omit<CompatRow, "test" | "status"> | undefined {
  if (text === undefined) return undefined;
  const value: unknown = JSON.parse(text);
  if (typeof value !== "object" || value === null) return undefined;
  const pick = (name: string): string | undefined => {
    const field: unknown = Object.getOwnPropertyDescriptor(value, name)?.value;
    return typeof field === "string" ? field : undefined;
  };
  const client = pick("client");
  const version = pick("version");
  const dialect = pick("dialect");
  const checks = pick("checks");
  if (client === undefined || version === undefined || dialect === undefined || checks === undefined) return undefined;
  return { client, version, dialect, checks };
}

/**
 * Collects the tests tagged with a `compat` annotation (see
 * tests/compat/support.ts `recordCompat`) and writes what actually ran, with
 * each test's final status, to test-results/compat-results.json.
 */
export default class CompatReporter implements Reporter {
  private readonly rows = new Map<string, CompatRow>();

  onTestEnd(test: TestCase, result: TestResult): void {
    const annotations = [...result.annotations, ...test.annotations];
    const entry = parseEntry(annotations.find((annotation) => annotation.type === "compat")?.description);
    if (entry === undefined) return;
    const reason = annotations.find((annotation) => annotation.type === "skip")?.description;
    // A retry overwrites the earlier attempt: the row shows the final outcome.
    this.rows.set(test.id, { ...entry, test: test.titlePath().filter((part) => part !== "").join(" › "), status: result.status, ...(result.status === "skipped" && reason !== undefined ? { reason } : {}) });
  }

  onEnd(_result: FullResult): void {
    if (this.rows.size === 0) return;
    mkdirSync(dirname(COMPAT_RESULTS_PATH), { recursive: true });
    const rows = [...this.rows.values()].sort((a, b) => a.client.localeCompare(b.client) || a.dialect.localeCompare(b.dialect));
    writeFileSync(COMPAT_RESULTS_PATH, `${JSON.stringify({ generatedAt: new Date().toISOString(), node: process.versions.node, rows }, null, 2)}\n`);
  }

  printsToStdio(): boolean {
    return false;
  }
}
