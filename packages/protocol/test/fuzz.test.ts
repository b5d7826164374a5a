import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import {
  encodeFrame,
  parseAgentFrameText,
  parseBrowserFrameText,
  parseConsoleToPortalMessage,
  parsePortalToConsoleMessage,
  parseRelayFrame,
  parseRelayFrameText,
  type ParseResult,
} from "../src/index.js";

/**
 * Property-based fuzzing of every protocol parser: whatever arrives, a parser
 * returns a ParseResult and never throws; what it accepts re-encodes to a
 * frame it accepts again. Prints `[figures] protocol fuzz inputs: N, failures: F`.
 */
/** protocol is runtime-neutral (no DOM, no node types); vitest runs it on node, whose console prints. */
declare const console: { log(line: string): void };

const RUNS = 2_000;
let inputs = 0;
let failures = 0;

afterAll(() => {
  console.log(`[figures] protocol fuzz inputs: ${inputs}, failures: ${failures}`);
});

function isParseResult(result: ParseResult<unknown>): boolean {
  return result.ok ? result.value !== undefined : typeof result.error.path === "string" && typeof result.error.message === "string";
}

/** Runs a property, counting every generated input and any counterexample. */
function check<T>(arbitrary: fc.Arbitrary<T>, predicate: (value: T) => boolean, numRuns = RUNS): void {
  const property = fc.property(arbitrary, (value) => {
    inputs++;
    return predicate(value);
  });
  const details = fc.check(property, { numRuns });
  if (details.failed) failures++;
  expect(details.failed, details.counterexample === null ? "" : `counterexample: ${JSON.stringify(details.counterexample)}`).toBe(false);
}

const textParsers = { parseRelayFrameText, parseAgentFrameText, parseBrowserFrameText };
const valueParsers = { parseRelayFrame, parseConsoleToPortalMessage, parsePortalToConsoleMessage };

const id = fc.stringMatching(/^[A-Za-z0-9_-]{1,8}$/);
const resource = fc.oneof(fc.constant("https://management.azure.com/"), fc.string({ maxLength: 40 }));
const anyValue = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.array(fc.anything(), { maxLength: 3 }), fc.object());
/** Frames close to valid ones: right keys, some values wrong. */
const nearFrame = fc.record(
  {
    channel: fc.oneof(fc.constant("authbridge"), anyValue),
    v: fc.oneof(fc.constant(1), anyValue),
    type: fc.constantFrom("hello", "welcome", "peer", "token.request", "token.response", "error", "ready", "connect", "bogus"),
    role: fc.oneof(fc.constantFrom("agent", "browser"), anyValue),
    protocol: fc.oneof(fc.constant(1), anyValue),
    id: fc.oneof(id, anyValue),
    resource: fc.oneof(resource, anyValue),
    deadline: fc.oneof(fc.nat(), anyValue),
    ok: fc.oneof(fc.boolean(), anyValue),
    token: fc.oneof(
      fc.record({ accessToken: fc.string({ maxLength: 64 }), expiresOn: fc.oneof(fc.nat(), anyValue), tokenType: fc.string({ maxLength: 8 }), resource }, { requiredKeys: [] }),
      anyValue,
    ),
    error: fc.oneof(fc.record({ code: fc.string({ maxLength: 16 }), message: fc.string({ maxLength: 32 }) }), anyValue),
    relayUrl: fc.oneof(fc.constant("ws://127.0.0.1:1/ws/browser"), fc.string()),
    ticket: fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{16,40}$/), fc.string()),
  },
  { requiredKeys: ["type"] },
);

describe("protocol parsers under fuzz", () => {
  it.each(Object.entries(textParsers))("%s never throws on arbitrary text", (_name, parse) => {
    check(fc.oneof(fc.string({ unit: "binary", maxLength: 200 }), fc.json(), fc.string()), (text) => isParseResult(parse(text)));
  });

  it.each(Object.entries(textParsers))("%s never throws on near-valid JSON frames", (_name, parse) => {
    check(nearFrame, (frame) => isParseResult(parse(JSON.stringify(frame))));
  });

  it.each(Object.entries(valueParsers))("%s never throws on arbitrary values", (_name, parse) => {
    check(fc.anything({ withNullPrototype: true, withMap: true, withSet: true, withBigInt: true, withDate: true, withTypedArray: true, withSparseArray: true }), (value) => isParseResult(parse(value)));
  });

  it.each(Object.entries(valueParsers))("%s never throws on near-valid envelopes", (_name, parse) => {
    check(nearFrame, (frame) => isParseResult(parse(frame)));
  });

  it("every frame the relay parser accepts re-encodes to the same accepted frame", () => {
    check(nearFrame, (frame) => {
      const parsed = parseRelayFrameText(JSON.stringify(frame));
      if (!parsed.ok) return true;
      const again = parseRelayFrameText(encodeFrame(parsed.value));
      return again.ok && JSON.stringify(again.value) === encodeFrame(parsed.value);
    });
  });

  it("never accepts a token.response whose access token is empty or oversized", () => {
    check(fc.oneof(fc.constant(""), fc.string({ minLength: 16 * 1024 + 1, maxLength: 16 * 1024 + 4 })), (accessToken) => {
      const frame = { v: 1, type: "token.response", id: "x", ok: true, token: { accessToken, expiresOn: 1, tokenType: "Bearer", resource: "https://x/" } };
      return !parseBrowserFrameText(JSON.stringify(frame)).ok;
    }, 200);
  });
});
