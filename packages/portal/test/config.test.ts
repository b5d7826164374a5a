import { describe, expect, it } from "vitest";
import { loadPortalConfig, parsePortalConfig } from "../src/config.js";
import { buildMsalConfiguration } from "../src/msal-config.js";

const valid = {
  clientId: "11111111-2222-3333-4444-555555555555",
  authority: "https://localhost:8443/tenant/v2.0",
  knownAuthorities: ["localhost:8443"],
  redirectUri: "http://localhost:4000/redirect.html",
  relayApiUrl: "http://127.0.0.1:5000",
  relayWsUrl: "ws://127.0.0.1:5000/ws/browser",
  relayScope: "api://authbridge-relay/.default",
  consoleOrigin: "http://127.0.0.1:5174",
  allowedResources: null,
};

describe("portal config", () => {
  it("accepts the contract's shape", () => {
    expect(parsePortalConfig(valid)).toEqual({ ok: true, value: valid });
    const withExtras = { ...valid, authorityMetadata: '{"issuer":"https://localhost:8443/tenant/v2.0"}', allowedResources: ["https://management.azure.com/"] };
    expect(parsePortalConfig(withExtras)).toEqual({ ok: true, value: withExtras });
  });

  it("drops a trailing slash from relayApiUrl", () => {
    const parsed = parsePortalConfig({ ...valid, relayApiUrl: "http://127.0.0.1:5000/" });
    expect(parsed.ok && parsed.value.relayApiUrl).toBe("http://127.0.0.1:5000");
  });

  it.each([
    ["clientId", { clientId: "" }],
    ["authority", { authority: "http://localhost:8443/tenant" }],
    ["authority", { authority: "not a url" }],
    ["knownAuthorities", { knownAuthorities: "localhost:8443" }],
    ["authorityMetadata", { authorityMetadata: "not json" }],
    ["redirectUri", { redirectUri: "javascript:alert(1)" }],
    ["relayApiUrl", { relayApiUrl: "ws://127.0.0.1:5000" }],
    ["relayWsUrl", { relayWsUrl: "http://127.0.0.1:5000/ws/browser" }],
    ["relayScope", { relayScope: undefined }],
    ["consoleOrigin", { consoleOrigin: "*" }],
    ["consoleOrigin", { consoleOrigin: "http://127.0.0.1:5174/" }],
    ["allowedResources", { allowedResources: undefined }],
    ["allowedResources", { allowedResources: "https://management.azure.com/" }],
  ])("rejects a bad %s", (path, patch) => {
    const parsed = parsePortalConfig({ ...valid, ...patch });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.path.split(".")[0]).toBe(path);
  });

  it("rejects a non-object", () => {
    expect(parsePortalConfig(null).ok).toBe(false);
    expect(parsePortalConfig([valid]).ok).toBe(false);
  });

  it("explains what is wrong with a served config", async () => {
    const serve = (body: string, status = 200) => () => Promise.resolve(new Response(body, { status }));
    expect(await loadPortalConfig(serve(JSON.stringify({ ...valid, consoleOrigin: "*" })))).toEqual({
      ok: false,
      message: expect.stringMatching(/^\/config\.json is invalid: consoleOrigin: /) as unknown,
    });
    expect(await loadPortalConfig(serve("oops"))).toEqual({ ok: false, message: "/config.json could not be loaded as JSON." });
    expect(await loadPortalConfig(serve("{}", 500))).toEqual({ ok: false, message: "/config.json answered HTTP 500." });
    expect(await loadPortalConfig(serve(JSON.stringify(valid)))).toEqual({ ok: true, config: valid });
  });
});

describe("buildMsalConfiguration", () => {
  it("passes the authority settings through and keeps the cache in sessionStorage", () => {
    const parsed = parsePortalConfig({ ...valid, authorityMetadata: "{}" });
    if (!parsed.ok) throw new Error("fixture is invalid");
    expect(buildMsalConfiguration(parsed.value, "http://localhost:4000/")).toEqual({
      auth: {
        clientId: valid.clientId,
        authority: valid.authority,
        knownAuthorities: ["localhost:8443"],
        authorityMetadata: "{}",
        redirectUri: valid.redirectUri,
        postLogoutRedirectUri: "http://localhost:4000/",
      },
      cache: { cacheLocation: "sessionStorage" },
    });
  });

  it("leaves authorityMetadata out when the config has none", () => {
    const parsed = parsePortalConfig(valid);
    if (!parsed.ok) throw new Error("fixture is invalid");
    expect("authorityMetadata" in buildMsalConfiguration(parsed.value, "http://localhost:4000/").auth).toBe(false);
  });
});
