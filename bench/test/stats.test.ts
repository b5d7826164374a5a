import { describe, expect, it } from "vitest";
import { percentiles, ratio } from "../src/stats.js";
import { formatTable } from "../src/table.js";

describe("stats and table", () => {
  it("takes nearest-rank percentiles", () => {
    const sample = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentiles(sample)).toEqual({ p50: 50, p90: 90, p99: 99, count: 100 });
  });

  it("gives NaN for a zero baseline rather than Infinity", () => {
    expect(ratio(5, 0)).toBeNaN();
    expect(ratio(7, 10)).toBe(0.7);
  });

  it("prints a Markdown table with a header row and one line per row", () => {
    const table = formatTable([{ scenario: "s", metric: "m", value: "1", baseline: "2", ratio: "0.5×", target: "≥ 0.7×", met: "NO" }]);
    expect(table.split("\n")).toHaveLength(3);
    expect(table).toContain("| s        | m      | 1     | 2        | 0.5×  | ≥ 0.7× | NO  |");
  });
});
