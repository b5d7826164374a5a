import { describe, expect, it } from "vitest";
import { isLoopbackHost } from "../../src/http/request-checks.js";

describe("loopback Host check", () => {
  it.each(["localhost", "localhost:50342", "LocalHost:1", "127.0.0.1", "127.0.0.1:50342", "[::1]", "[::1]:50342"])("accepts %s", (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each([undefined, "", "evil.test", "localhost.evil.test", "evil.test:50342", "localhost.", "127.0.0.1.nip.io", "::1", "[::1]x", "127.0.0.1:", "0.0.0.0", "localhost:123456"])(
    "refuses %s",
    (host) => {
      expect(isLoopbackHost(host)).toBe(false);
    },
  );
});
