/** One line of the results table. */
export interface Row {
  scenario: string;
  metric: string;
  /** What was measured (with its unit). */
  value: string;
  /** The same-run baseline, when the row has one. */
  baseline: string;
  /** value ÷ baseline, or the figure the target is judged on. */
  ratio: string;
  target: string;
  /** "yes", "NO" or "—" (informational row). */
  met: string;
}

const COLUMNS: readonly (keyof Row)[] = ["scenario", "metric", "value", "baseline", "ratio", "target", "met"];

/** A Markdown table: readable in a terminal and pasteable into the README. */
export function formatTable(rows: readonly Row[]): string {
  const widths = COLUMNS.map((column) => Math.max(column.length, ...rows.map((row) => row[column].length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  return [line(COLUMNS), line(widths.map((width) => "-".repeat(width))), ...rows.map((row) => line(COLUMNS.map((column) => row[column])))].join("\n");
}

export function verdict(met: boolean): string {
  return met ? "yes" : "NO";
}
