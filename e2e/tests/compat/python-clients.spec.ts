import { activity, expect, test } from "../../fixtures.js";
import { DEBIAN_PYTHON, SEED_VMS, armResult, clientEnv, describeRun, field, lastJsonObject, recordCompat, run } from "./support.js";

test.describe("Python clients from Debian's packages, unmodified", () => {
  test("azure-identity ManagedIdentityCredential (python3-azure) gets a token and lists VMs", async ({ session, stack }) => {
    const version = (await run(DEBIAN_PYTHON, ["-c", "import azure.identity; print(azure.identity.__version__)"], { PATH: "/usr/bin:/bin" })).stdout.trim();
    recordCompat({ client: "Python azure-identity ManagedIdentityCredential (Debian python3-azure)", version: version || "unknown", dialect: "Cloud Shell", checks: "MSI_ENDPOINT; aud; expires_on parsed by int(); resource echoed; mock ARM via requests" });
    const { env, cleanup } = await clientEnv(stack, session.endpointUrl);
    try {
      const result = await run(DEBIAN_PYTHON, ["python_azure_identity.py", "https://management.azure.com/.default"], env);
      expect(result.code, describeRun(result)).toBe(0);
      const out = lastJsonObject(result.stdout);
      expect(field(out, "version", "string")).toBe(version);
      // It sends resource=https://management.azure.com (no slash); the token's aud is what it asked for.
      expect(field(out, "aud", "string")).toBe("https://management.azure.com");
      expect(field(out, "tid", "string")).toBe(stack.emulator.tenantId);
      // expires_on went through int(): an epoch-seconds integer within seconds of the token's exp.
      const expiresOn = field(out, "expiresOn", "number");
      expect(Number.isInteger(expiresOn)).toBe(true);
      expect(Math.abs(expiresOn - field(out, "exp", "number"))).toBeLessThanOrEqual(5);
      expect(field(out, "sameTokenTwice", "boolean")).toBe(true);
      expect(armResult(out)).toEqual({ status: 200, vms: SEED_VMS });
      await expect(activity(session.page)).toHaveCount(1);
    } finally {
      cleanup();
    }
  });
});
