import { DEFAULT_ALLOWLIST } from "@authbridge/protocol";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../src/index.js";

const BASE = {
  AUTHBRIDGE_AGENT_TOKEN: "agent-token",
  AUTHBRIDGE_RELAY_URL: "ws://127.0.0.1:8080/ws/agent",
  AUTHBRIDGE_SESSION_ID: "session-1",
};

function files(contents: Record<string, string>): (path: string) => string {
  return (path) => {
    const text = contents[path];
    if (text === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
    return text;
  };
}

describe("endpoint configuration", () => {
  it("fills defaults around the three required variables", () => {
    expect(parseConfig(BASE)).toEqual({
      ok: true,
      value: {
        agentToken: "agent-token",
        relayUrl: "ws://127.0.0.1:8080/ws/agent",
        sessionId: "session-1",
        host: "127.0.0.1",
        port: 50342,
        allowlist: [...DEFAULT_ALLOWLIST],
        requestTimeoutMs: 30_000,
        orphanGraceMs: 30_000,
        logLevel: "info",
      },
    });
  });

  it("reads every variable, and --host/--port override the environment", () => {
    const parsed = parseConfig(
      { ...BASE, AUTHBRIDGE_HOST: "::1", AUTHBRIDGE_PORT: "0", AUTHBRIDGE_REQUEST_TIMEOUT_MS: "5000", AUTHBRIDGE_ORPHAN_GRACE_MS: "0", AUTHBRIDGE_LOG_LEVEL: "debug" },
      {},
    );
    expect(parsed).toMatchObject({ ok: true, value: { host: "::1", port: 0, requestTimeoutMs: 5000, orphanGraceMs: 0, logLevel: "debug" } });
    expect(parseConfig({ ...BASE, AUTHBRIDGE_PORT: "1" }, { host: "localhost", port: "4242" })).toMatchObject({ ok: true, value: { host: "localhost", port: 4242 } });
  });

  it.each([
    [{ AUTHBRIDGE_AGENT_TOKEN: undefined }, "AUTHBRIDGE_AGENT_TOKEN", "is required"],
    [{ AUTHBRIDGE_AGENT_TOKEN: "" }, "AUTHBRIDGE_AGENT_TOKEN", "is required"],
    [{ AUTHBRIDGE_RELAY_URL: "http://relay/ws/agent" }, "AUTHBRIDGE_RELAY_URL", "must be a ws:// or wss:// URL"],
    [{ AUTHBRIDGE_RELAY_URL: "not a url" }, "AUTHBRIDGE_RELAY_URL", "must be a ws:// or wss:// URL"],
    [{ AUTHBRIDGE_SESSION_ID: undefined }, "AUTHBRIDGE_SESSION_ID", "is required"],
    [{ AUTHBRIDGE_PORT: "abc" }, "AUTHBRIDGE_PORT", "must be an integer from 0 to 65535"],
    [{ AUTHBRIDGE_PORT: "70000" }, "AUTHBRIDGE_PORT", "must be an integer from 0 to 65535"],
    [{ AUTHBRIDGE_REQUEST_TIMEOUT_MS: "0" }, "AUTHBRIDGE_REQUEST_TIMEOUT_MS", "must be an integer from 1 to 600000"],
    [{ AUTHBRIDGE_ORPHAN_GRACE_MS: "-1" }, "AUTHBRIDGE_ORPHAN_GRACE_MS", "must be an integer from 0 to 3600000"],
    [{ AUTHBRIDGE_LOG_LEVEL: "loud" }, "AUTHBRIDGE_LOG_LEVEL", "must be one of fatal, error, warn, info, debug, trace, silent"],
    [{ AUTHBRIDGE_ALLOWLIST: " , " }, "AUTHBRIDGE_ALLOWLIST", "must name at least one audience"],
    [{ AUTHBRIDGE_ALLOWLIST: "https://ok/,has space" }, "AUTHBRIDGE_ALLOWLIST", "entry 2 must be printable ASCII without spaces, at most 2048 characters"],
    [{ AUTHBRIDGE_ALLOWLIST_EXTRA: "bad\u00e9" }, "AUTHBRIDGE_ALLOWLIST_EXTRA", "entry 1 must be printable ASCII without spaces, at most 2048 characters"],
  ])("names the bad key: %j → %s", (overrides: Record<string, string | undefined>, key, message) => {
    expect(parseConfig({ ...BASE, ...overrides })).toEqual({ ok: false, error: { path: key, message } });
  });

  it("turns the App Service dialect on with AUTHBRIDGE_APP_SERVICE_SECRET, and refuses a weak one without echoing it", () => {
    const on = parseConfig({ ...BASE, AUTHBRIDGE_APP_SERVICE_SECRET: "0123456789abcdef-secret" });
    expect(on.ok && on.value.appServiceSecret).toBe("0123456789abcdef-secret");
    const off = parseConfig(BASE);
    expect(off.ok && "appServiceSecret" in off.value).toBe(false);
    const weak = parseConfig({ ...BASE, AUTHBRIDGE_APP_SERVICE_SECRET: "tooshort" });
    expect(weak).toEqual({
      ok: false,
      error: { path: "AUTHBRIDGE_APP_SERVICE_SECRET", message: "must be 16 to 512 characters from A-Z a-z 0-9 . _ ~ + / = -" },
    });
    expect(JSON.stringify(weak)).not.toContain("tooshort");
  });

  it("names the bad flag", () => {
    expect(parseConfig(BASE, { port: "-1" })).toEqual({ ok: false, error: { path: "--port", message: "must be an integer from 0 to 65535" } });
  });

  it("never echoes the agent token in an error", () => {
    const parsed = parseConfig({ ...BASE, AUTHBRIDGE_AGENT_TOKEN: "x".repeat(5000) });
    expect(parsed.ok).toBe(false);
    expect(JSON.stringify(parsed)).not.toContain("xxxx");
  });

  it("replaces the default with AUTHBRIDGE_ALLOWLIST and adds AUTHBRIDGE_ALLOWLIST_EXTRA", () => {
    expect(parseConfig({ ...BASE, AUTHBRIDGE_ALLOWLIST: " https://a.test/ ,https://b.test", AUTHBRIDGE_ALLOWLIST_EXTRA: "https://c.test,https://a.test/" })).toMatchObject({
      ok: true,
      value: { allowlist: ["https://a.test/", "https://b.test", "https://c.test"] },
    });
    const extra = parseConfig({ ...BASE, AUTHBRIDGE_ALLOWLIST_EXTRA: "https://myapp.azconfig.io" });
    expect(extra).toMatchObject({ ok: true, value: { allowlist: [...DEFAULT_ALLOWLIST, "https://myapp.azconfig.io"] } });
  });

  it("reads AUTHBRIDGE_ALLOWLIST_FILE as a JSON array or one audience per line", () => {
    const read = files({
      "/a.json": ' ["https://a.test/", "https://b.test"] ',
      "/a.txt": "# audiences\nhttps://a.test/\r\n\n  https://b.test  \n",
      "/bad.json": "[1, 2]",
      "/broken.json": "[oops",
    });
    expect(parseConfig({ ...BASE, AUTHBRIDGE_ALLOWLIST_FILE: "/a.json" }, {}, read)).toMatchObject({ ok: true, value: { allowlist: ["https://a.test/", "https://b.test"] } });
    expect(parseConfig({ ...BASE, AUTHBRIDGE_ALLOWLIST_FILE: "/a.txt", AUTHBRIDGE_ALLOWLIST_EXTRA: "https://c.test" }, {}, read)).toMatchObject({
      ok: true,
      value: { allowlist: ["https://a.test/", "https://b.test", "https://c.test"] },
    });
    expect(parseConfig({ ...BASE, AUTHBRIDGE_ALLOWLIST_FILE: "/bad.json" }, {}, read)).toEqual({
      ok: false,
      error: { path: "AUTHBRIDGE_ALLOWLIST_FILE", message: "/bad.json must hold a JSON array of strings" },
    });
    expect(parseConfig({ ...BASE, AUTHBRIDGE_ALLOWLIST_FILE: "/broken.json" }, {}, read)).toMatchObject({ ok: false, error: { path: "AUTHBRIDGE_ALLOWLIST_FILE" } });
    const missing = parseConfig({ ...BASE, AUTHBRIDGE_ALLOWLIST_FILE: "/missing" }, {}, read);
    if (missing.ok) throw new Error("expected a failure");
    expect(missing.error.path).toBe("AUTHBRIDGE_ALLOWLIST_FILE");
    expect(missing.error.message).toContain("cannot read /missing: ENOENT");
  });

  it("refuses AUTHBRIDGE_ALLOWLIST together with AUTHBRIDGE_ALLOWLIST_FILE", () => {
    expect(parseConfig({ ...BASE, AUTHBRIDGE_ALLOWLIST: "https://a.test", AUTHBRIDGE_ALLOWLIST_FILE: "/a" })).toMatchObject({
      ok: false,
      error: { path: "AUTHBRIDGE_ALLOWLIST_FILE" },
    });
  });
});
