import { describe, expect, it } from "vitest";
import { audienceNotSupportedMessage, createAllowlist, DEFAULT_ALLOWLIST } from "../src/index.js";

describe("allowlist", () => {
  const allowlist = createAllowlist(DEFAULT_ALLOWLIST);

  it("serves the exact string and its trailing-slash twin", () => {
    expect(allowlist.has("https://management.azure.com/")).toBe(true);
    expect(allowlist.has("https://management.azure.com")).toBe(true);
    expect(allowlist.has("https://vault.azure.net")).toBe(true);
    expect(allowlist.has("https://vault.azure.net/")).toBe(true);
    expect(allowlist.has("00000003-0000-0000-c000-000000000000")).toBe(true);
  });

  it.each([
    "https://MANAGEMENT.azure.com/",
    "https://management.azure.com//",
    "https://management.azure.com/extra",
    "https://user@management.azure.com/",
    "https://management.azure.com.evil.test/",
    "https://managem\u0435nt.azure.com/",
    "/",
    "",
  ])("refuses the near miss %s", (resource) => {
    expect(allowlist.has(resource)).toBe(false);
  });

  it("words the refusal as Cloud Shell does", () => {
    const small = createAllowlist(["https://a.test/", "https://b.test"]);
    expect(audienceNotSupportedMessage("https://newservice.azure.com/", small)).toBe(
      "Audience https://newservice.azure.com/ is not a supported MSI token audience. Supported audiences: https://a.test/, https://b.test",
    );
  });
});
