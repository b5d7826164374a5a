import { describe, expect, it } from "vitest";
import { parseRelayEnv } from "../../src/config/env-config.js";

const base = {
  AUTHBRIDGE_ISSUER: "https://localhost:8443/t/v2.0",
  AUTHBRIDGE_AUDIENCE: "api://authbridge-relay",
  AUTHBRIDGE_JWKS_URI: "https://localhost:8443/t/discovery/v2.0/keys",
  AUTHBRIDGE_CONSOLE_URL: "http://127.0.0.1:5173/",
  AUTHBRIDGE_CORS_ORIGINS: "http://localhost:5174, https://portal.example",
};

describe("relay CLI configuration", () => {
  it("applies defaults", () => {
    expect(parseRelayEnv(base)).toEqual({
      ok: true,
      config: {
        host: "127.0.0.1",
        port: 8090,
        issuer: base.AUTHBRIDGE_ISSUER,
        audience: base.AUTHBRIDGE_AUDIENCE,
        jwksUri: base.AUTHBRIDGE_JWKS_URI,
        consoleUrl: base.AUTHBRIDGE_CONSOLE_URL,
        allowedOrigins: ["http://127.0.0.1:5173"],
        corsOrigins: ["http://localhost:5174", "https://portal.example"],
        launcher: "local",
        endpointPort: 50342,
        logLevel: "info",
      },
    });
  });

  it("reads every variable", () => {
    const result = parseRelayEnv({
      ...base,
      AUTHBRIDGE_RELAY_HOST: "0.0.0.0",
      AUTHBRIDGE_RELAY_PORT: "0",
      AUTHBRIDGE_ALLOWED_ORIGINS: "http://127.0.0.1:9000",
      AUTHBRIDGE_LAUNCHER: "external",
      AUTHBRIDGE_ENDPOINT_PORT: "0",
      AUTHBRIDGE_JWKS_CA_FILE: "/tmp/ca.pem",
      AUTHBRIDGE_RELAY_STATE_FILE: "/var/lib/authbridge/sessions.json",
      AUTHBRIDGE_RELAY_REATTACH_MS: "90000",
    });
    expect(result.ok && result.config).toMatchObject({
      host: "0.0.0.0",
      port: 0,
      allowedOrigins: ["http://127.0.0.1:9000"],
      launcher: "external",
      endpointPort: 0,
      jwksCaFile: "/tmp/ca.pem",
      stateFile: "/var/lib/authbridge/sessions.json",
      reattachMs: 90_000,
    });
  });

  it.each([
    [{ AUTHBRIDGE_ISSUER: undefined }, "invalid configuration: AUTHBRIDGE_ISSUER is required"],
    [{ AUTHBRIDGE_RELAY_PORT: "80a" }, "invalid configuration: AUTHBRIDGE_RELAY_PORT must be a port number 0-65535"],
    [{ AUTHBRIDGE_ENDPOINT_PORT: "70000" }, "invalid configuration: AUTHBRIDGE_ENDPOINT_PORT must be a port number 0-65535"],
    [{ AUTHBRIDGE_JWKS_URI: "ftp://x" }, "invalid configuration: AUTHBRIDGE_JWKS_URI must be an http(s) URL"],
    [{ AUTHBRIDGE_CORS_ORIGINS: "http://localhost:5174/path" }, 'invalid configuration: AUTHBRIDGE_CORS_ORIGINS "http://localhost:5174/path" is not an origin like http://host:port'],
    [{ AUTHBRIDGE_RELAY_REATTACH_MS: "1m" }, "invalid configuration: AUTHBRIDGE_RELAY_REATTACH_MS must be a whole number of milliseconds 1-2147483647"],
    [{ AUTHBRIDGE_RELAY_REATTACH_MS: "0" }, "invalid configuration: AUTHBRIDGE_RELAY_REATTACH_MS must be a whole number of milliseconds 1-2147483647"],
    [{ AUTHBRIDGE_RELAY_REATTACH_MS: "2147483648" }, "invalid configuration: AUTHBRIDGE_RELAY_REATTACH_MS must be a whole number of milliseconds 1-2147483647"],
    [{ AUTHBRIDGE_RELAY_STATE_FILE: "" }, "invalid configuration: AUTHBRIDGE_RELAY_STATE_FILE must be a file path"],
  ])("names the bad key in %o", (change, message) => {
    expect(parseRelayEnv({ ...base, ...change })).toEqual({ ok: false, message });
  });

  it("refuses an unknown launcher", () => {
    const result = parseRelayEnv({ ...base, AUTHBRIDGE_LAUNCHER: "docker" });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/^invalid configuration: AUTHBRIDGE_LAUNCHER /);
  });
});
