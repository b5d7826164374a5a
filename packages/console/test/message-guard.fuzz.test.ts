import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { guardPortalMessage } from "../src/message-guard.js";

/**
 * Fuzzing the postMessage door: for any origin, source and data, the guard
 * never throws and accepts only the expected window at the expected origin.
 * Prints `[figures] console postMessage fuzz inputs: N, failures: F`.
 */
const EXPECTED_ORIGIN = "http://localhost:5174";
const expectedWindow = { name: "expected window" };
let inputs = 0;
let failures = 0;
afterAll(() => {
  console.log(`[figures] console postMessage fuzz inputs: ${inputs}, failures: ${failures}`);
});

describe("guardPortalMessage under fuzz", () => {
  it("never throws and never accepts another origin or window", () => {
    const origin = fc.oneof(fc.constant(EXPECTED_ORIGIN), fc.constantFrom("null", "", "http://localhost:5174/", "http://LOCALHOST:5174", "http://localhost:51740", "https://localhost:5174"), fc.webUrl());
    const source = fc.oneof(fc.constant(expectedWindow), fc.constant({ name: "expected window" }), fc.constant(null), fc.constant(undefined), fc.anything());
    const data = fc.oneof(fc.anything({ withNullPrototype: true, withMap: true, withBigInt: true }), fc.record({ channel: fc.constant("authbridge"), v: fc.constant(1), type: fc.constantFrom("ready", "connect", "token.request", "token.response"), id: fc.string(), ok: fc.boolean() }, { requiredKeys: [] }));
    const details = fc.check(
      fc.property(origin, source, data, (eventOrigin, eventSource, eventData) => {
        inputs++;
        const verdict = guardPortalMessage({ origin: eventOrigin, source: eventSource, data: eventData }, { origin: EXPECTED_ORIGIN, source: expectedWindow });
        return !verdict.accepted || (eventOrigin === EXPECTED_ORIGIN && eventSource === expectedWindow);
      }),
      { numRuns: 3_000 },
    );
    if (details.failed) failures++;
    expect(details.failed, JSON.stringify(details.counterexample)).toBe(false);
  });
});
