/**
 * Counts the cases a hostile suite tried and how many passed, and prints one
 * stable line at the end: `[figures] <label>: N, failures: F`. SECURITY.md
 * quotes these lines.
 */
export interface Figures {
  /** Runs one case; counts it as tried, and as passed only if it returns. */
  run<T>(body: () => Promise<T>): Promise<T>;
  add(inputs: number): void;
  line(): string;
}

export function createFigures(label: string): Figures {
  let tried = 0;
  let passed = 0;
  return {
    async run(body) {
      tried++;
      const result = await body();
      passed++;
      return result;
    },
    add(inputs) {
      tried += inputs;
      passed += inputs;
    },
    line: () => `[figures] ${label}: ${tried}, failures: ${tried - passed}`,
  };
}
