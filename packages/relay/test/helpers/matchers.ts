import { expect } from "vitest";

/** vitest's asymmetric matchers, typed `unknown` instead of `any`. */
export const anyString: unknown = expect.any(String);

export function matching(pattern: RegExp): unknown {
  const matcher: unknown = expect.stringMatching(pattern);
  return matcher;
}
