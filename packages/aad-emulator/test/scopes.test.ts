import { describe, expect, it } from "vitest";
import { GRAPH_RESOURCE, resolveScopes, sameResource } from "../src/scopes.js";

describe("resolveScopes", () => {
  it("keeps the resource of a .default scope verbatim, double slash included", () => {
    expect(resolveScopes("https://management.azure.com//.default openid profile offline_access")).toEqual({
      ok: true,
      value: { resource: "https://management.azure.com/", scp: "user_impersonation", openid: true },
    });
  });

  it("takes an app id URI permission up to the last slash", () => {
    expect(resolveScopes("api://authbridge-relay/Sessions.Create")).toEqual({
      ok: true,
      value: { resource: "api://authbridge-relay", scp: "Sessions.Create", openid: false },
    });
  });

  it("maps a bare permission to Microsoft Graph", () => {
    const result = resolveScopes("User.Read openid");
    expect(result).toEqual({ ok: true, value: { resource: GRAPH_RESOURCE, scp: "User.Read", openid: true } });
  });

  it("maps only OIDC scopes to Microsoft Graph", () => {
    const result = resolveScopes("openid profile offline_access");
    expect(result.ok && result.value.resource).toBe(GRAPH_RESOURCE);
  });

  it("refuses scopes for two resources with AADSTS28000", () => {
    expect(resolveScopes("https://management.azure.com//.default https://vault.azure.net/.default")).toMatchObject({ ok: false, aadsts: 28000 });
  });

  it("refuses a .default scope with no resource", () => {
    expect(resolveScopes("/.default")).toMatchObject({ ok: false, aadsts: 70011 });
  });
});

describe("sameResource", () => {
  it("ignores one trailing slash and nothing else", () => {
    expect(sameResource("https://management.azure.com/", "https://management.azure.com")).toBe(true);
    expect(sameResource("https://management.azure.com/", "https://management.core.windows.net/")).toBe(false);
  });
});
