import { homedir } from "node:os";
import { describe, expect, it } from "vitest";
import { RingBuffer, parseTerminalConfig, shellEnvironment } from "../../src/index.js";

describe("the terminal's configuration", () => {
  it("defaults to a bash login shell in the home directory with a 60 s grace period", () => {
    expect(parseTerminalConfig({})).toEqual({ ok: true, value: { enabled: true, graceMs: 60_000, shell: "/bin/bash", cwd: homedir() } });
  });

  it("reads every variable", () => {
    expect(
      parseTerminalConfig({ AUTHBRIDGE_TERMINAL: "off", AUTHBRIDGE_TERMINAL_GRACE_MS: "1500", AUTHBRIDGE_SHELL: "/bin/zsh", AUTHBRIDGE_SHELL_HOME: "/home/cloud" }),
    ).toEqual({ ok: true, value: { enabled: false, graceMs: 1500, shell: "/bin/zsh", cwd: "/home/cloud", home: "/home/cloud" } });
  });

  it.each([
    ["AUTHBRIDGE_TERMINAL", "yes"],
    ["AUTHBRIDGE_TERMINAL_GRACE_MS", "0"],
    ["AUTHBRIDGE_TERMINAL_GRACE_MS", "1e3"],
    ["AUTHBRIDGE_SHELL", "bash"],
    ["AUTHBRIDGE_SHELL_CWD", "relative/dir"],
    ["AUTHBRIDGE_SHELL_HOME", "~"],
  ])("refuses %s=%s, naming it", (key, value) => {
    const parsed = parseTerminalConfig({ [key]: value });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.path).toBe(key);
  });
});

describe("the shell's environment", () => {
  it("has Cloud Shell's variables for this endpoint and none of the endpoint's own", () => {
    const env = shellEnvironment({ PATH: "/usr/bin", HOME: "/root", AUTHBRIDGE_AGENT_TOKEN: "secret", AUTHBRIDGE_RELAY_URL: "ws://x", UNSET: undefined }, 50342);
    expect(env).toEqual({
      PATH: "/usr/bin",
      HOME: "/root",
      MSI_ENDPOINT: "http://localhost:50342/oauth2/token",
      ACC_CLOUD: "authbridge",
      AZUREPS_HOST_ENVIRONMENT: "cloud-shell/1.0",
      TERM: "xterm-256color",
      COLORTERM: "truecolor",
    });
  });
});

describe("the replay ring buffer", () => {
  const text = (ring: RingBuffer) => Buffer.from(ring.contents()).toString("latin1");
  it("keeps the most recent bytes only", () => {
    const ring = new RingBuffer(8);
    ring.push(Buffer.from("abcdef"));
    ring.push(Buffer.from("ghij"));
    expect(text(ring)).toBe("cdefghij");
    ring.push(Buffer.from("0123456789"));
    expect(text(ring)).toBe("23456789");
    expect(ring.size).toBe(8);
  });

  it("copies what it keeps", () => {
    const ring = new RingBuffer(4);
    const chunk = Buffer.from("wxyz");
    ring.push(chunk);
    chunk.fill(0);
    expect(text(ring)).toBe("wxyz");
  });
});
