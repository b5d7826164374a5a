import { readFileSync } from "node:fs";
import { join } from "node:path";
import { activity, expect, test } from "../../fixtures.js";
import { CLIENTS_DIR, SEED_VMS, armResult, clientEnv, describeRun, field, lastJsonObject, recordCompat, run } from "./support.js";

/** The installed version of an e2e devDependency (from its package.json, read as unknown). */
function installedVersion(name: string): string {
  const parsed: unknown = JSON.parse(readFileSync(join(CLIENTS_DIR, "..", "node_modules", name, "package.json"), "utf8"));
  if (typeof parsed === "object" && parsed !== null && "version" in parsed && typeof parsed.version === "string") return parsed.version;
  throw new Error(`no version in ${name}/package.json`);
}

/**
 * The client's expiry (ms) matches the token's `exp` claim within a few
 * seconds: the browser's MSAL and the clients derive it from `expires_in`,
 * counted at slightly different moments.
 */
function expectExpiryNear(clientExpiryMs: number, expSeconds: number): void {
  expect(Math.abs(clientExpiryMs - expSeconds * 1000)).toBeLessThanOrEqual(5_000);
  expect(clientExpiryMs).toBeGreaterThan(Date.now() + 50 * 60_000);
}

const ARM_SCOPE = "https://management.azure.com/.default";

test.describe("Node clients, unmodified, in a Cloud Shell-like process", () => {
  for (const mode of ["managed", "default"] as const) {
    const name = mode === "managed" ? "ManagedIdentityCredential" : "DefaultAzureCredential";
    test(`@azure/identity ${name} gets an ARM token through the browser and lists VMs`, async ({ session, stack }) => {
      recordCompat({ client: `@azure/identity ${name}`, version: installedVersion("@azure/identity"), dialect: "Cloud Shell", checks: "MSI_ENDPOINT; aud; expiresOnTimestamp within 5 s of exp; SDK cache (one browser round trip); VM list on mock ARM" });
      const { env, cleanup } = await clientEnv(stack, session.endpointUrl);
      try {
        const result = await run(process.execPath, ["azure-identity.js", mode, ARM_SCOPE], env);
        expect(result.code, describeRun(result)).toBe(0);
        const out = lastJsonObject(result.stdout);
        // @azure/identity turns the scope into resource=https://management.azure.com (no slash); the allowlist takes both spellings.
        expect(field(out, "aud", "string")).toBe("https://management.azure.com");
        expect(field(out, "tid", "string")).toBe(stack.emulator.tenantId);
        // It understood the expiry (epoch seconds): anything unparsable would mean "expires now" and no caching.
        expectExpiryNear(field(out, "expiresOnTimestamp", "number"), field(out, "exp", "number"));
        expect(field(out, "sameTokenTwice", "boolean")).toBe(true);
        expect(armResult(out)).toEqual({ status: 200, vms: SEED_VMS });
        // One round trip through the browser: the SDK's second getToken came from its own cache.
        await expect(activity(session.page)).toHaveCount(1);
        await expect(activity(session.page).first()).toHaveAttribute("data-outcome", "ok");
      } finally {
        cleanup();
      }
    });
  }

  test("@azure/msal-node ManagedIdentityApplication (Cloud Shell source) gets a token and lists VMs", async ({ session, stack }) => {
    recordCompat({ client: "@azure/msal-node ManagedIdentityApplication", version: installedVersion("@azure/msal-node"), dialect: "Cloud Shell", checks: "source CloudShell; aud; expiresOn within 5 s of exp; token_type; MSAL cache; VM list on mock ARM" });
    const { env, cleanup } = await clientEnv(stack, session.endpointUrl);
    try {
      const result = await run(process.execPath, ["msal-node.js", "https://management.azure.com/"], env);
      expect(result.code, describeRun(result)).toBe(0);
      const out = lastJsonObject(result.stdout);
      expect(field(out, "source", "string")).toBe("CloudShell");
      expect(field(out, "aud", "string")).toBe("https://management.azure.com/");
      // MSAL counts from expires_in (reply time), so it lands within a second or two of the token's exp.
      expectExpiryNear(field(out, "expiresOn", "number"), field(out, "exp", "number"));
      expect(field(out, "tokenType", "string")).toBe("Bearer");
      expect(field(out, "fromCache", "boolean")).toBe(true);
      expect(field(out, "sameTokenTwice", "boolean")).toBe(true);
      expect(armResult(out)).toEqual({ status: 200, vms: SEED_VMS });
      await expect(activity(session.page)).toHaveCount(1);
    } finally {
      cleanup();
    }
  });
});
