import { activity, decodeClaims, expect, test } from "../../fixtures.js";
import { SEED_VMS, asObject, clientEnv, describeRun, field, recordCompat, run, type RunResult } from "./support.js";

const AZ = "/usr/bin/az";

/** `az … -o json` output, entered as unknown and checked. */
function json(result: RunResult): unknown {
  expect(result.code, describeRun(result)).toBe(0);
  return JSON.parse(result.stdout);
}

test.describe("Azure CLI (Debian azure-cli) in Cloud Shell mode", () => {
  test("az login --identity, az account get-access-token and az rest on the mock ARM", async ({ session, stack }) => {
    test.setTimeout(120_000);
    const { env, cleanup } = await clientEnv(stack, session.endpointUrl);
    const az = (...args: string[]) => run(AZ, [...args, "--only-show-errors"], env, 60_000);
    const version = (await az("version", "-o", "tsv", "--query", '"azure-cli"')).stdout.trim();
    recordCompat({
      client: "Azure CLI (`az login --identity`, `az account get-access-token`, `az rest`)",
      version: version || "unknown",
      dialect: "Cloud Shell",
      checks: "ACC_CLOUD + MSI_ENDPOINT; custom cloud on the emulator; subscriptions from mock ARM; aud; expires_on; VM list via az rest",
    });
    try {
      expect(env.ACC_CLOUD, "the endpoint's env command sets ACC_CLOUD (Cloud Shell mode)").toBe("authbridge");
      // A custom cloud whose ARM and authority are the emulator; the AAD resource stays ARM's classic audience.
      const registered = await az(
        "cloud", "register", "--name", "AuthbridgeEmulator",
        "--endpoint-resource-manager", stack.emulator.armUrl,
        "--endpoint-active-directory", stack.emulator.url,
        "--endpoint-active-directory-resource-id", "https://management.core.windows.net/",
        "--endpoint-active-directory-graph-resource-id", "https://graph.windows.net/",
        "--endpoint-management", "https://management.core.windows.net/",
      );
      expect(registered.code, describeRun(registered)).toBe(0);
      const selected = await az("cloud", "set", "--name", "AuthbridgeEmulator");
      expect(selected.code, describeRun(selected)).toBe(0);

      // With ACC_CLOUD set this is az's Cloud Shell login: it POSTs resource=https://management.core.windows.net/ to
      // MSI_ENDPOINT, reads tid and unique_name from the JWT, then lists subscriptions on the mock ARM.
      const login = json(await az("login", "--identity", "-o", "json"));
      expect(Array.isArray(login)).toBe(true);
      const accounts = Array.isArray(login) ? login.map((entry) => asObject(entry, "account")) : [];
      expect(accounts.map((account) => [account.id, account.tenantId, account.environmentName])).toEqual([[stack.emulator.subscriptionId, stack.emulator.tenantId, "AuthbridgeEmulator"]]);
      // In Cloud Shell mode az signs in as the user named by the token's unique_name, as on a real Cloud Shell.
      expect(asObject(accounts[0]?.user, "user")).toEqual({ name: stack.users[0]?.username, type: "user", cloudShellID: true });

      const started = Math.floor(Date.now() / 1000);
      const tokenInfo = asObject(json(await az("account", "get-access-token", "--resource", "https://management.azure.com/", "-o", "json")), "get-access-token");
      const claims = decodeClaims(field(tokenInfo, "accessToken", "string"));
      expect(claims.aud).toBe("https://management.azure.com/");
      expect(claims.tid).toBe(stack.emulator.tenantId);
      expect(field(tokenInfo, "tokenType", "string")).toBe("Bearer");
      expect(field(tokenInfo, "tenant", "string")).toBe(stack.emulator.tenantId);
      expect(field(tokenInfo, "subscription", "string")).toBe(stack.emulator.subscriptionId);
      // azure-cli 2.45 prints expiresOn as local "YYYY-MM-DD HH:MM:SS.ffffff", from the endpoint's epoch expires_on.
      const expiresOn = field(tokenInfo, "expiresOn", "string");
      expect(expiresOn).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}$/);
      const expiresAt = Date.parse(expiresOn.replace(" ", "T")) / 1000;
      expect(Math.abs(expiresAt - Number(claims.exp))).toBeLessThanOrEqual(5);
      expect(expiresAt).toBeGreaterThan(started + 3000);

      // The token travels to the mock ARM through az itself.
      const vmUrl = `${stack.emulator.armUrl}subscriptions/${stack.emulator.subscriptionId}/providers/Microsoft.Compute/virtualMachines?api-version=2021-07-01`;
      const vms = asObject(json(await az("rest", "--method", "get", "--url", vmUrl, "-o", "json")), "az rest");
      expect(Array.isArray(vms.value) ? vms.value.map((vm) => asObject(vm, "vm").name) : []).toEqual(SEED_VMS);

      // Two audiences went through the browser (az does not cache: the endpoint's cache answered the rest).
      await expect(activity(session.page)).toHaveCount(2);
    } finally {
      cleanup();
    }
  });
});
