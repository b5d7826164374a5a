/** Latency percentiles (ms) of a sample. */
export interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
  count: number;
}

/** Nearest-rank percentile of an ascending-sorted sample. */
function rank(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

export function percentiles(sample: readonly number[]): Percentiles {
  const sorted = [...sample].sort((a, b) => a - b);
  return { p50: rank(sorted, 50), p90: rank(sorted, 90), p99: rank(sorted, 99), count: sorted.length };
}

export function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function ratio(value: number, baseline: number): number {
  return baseline === 0 ? Number.NaN : round(value / baseline, 2);
}
