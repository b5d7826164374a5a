import { readFileSync } from "node:fs";
import { join } from "node:path";
import { activity, curl, curlToken, decodeClaims, expect, test } from "../../fixtures.js";
import { CLIENTS_DIR, DEBIAN_PYTHON, SEED_VMS, armResult, asObject, clientEnv, describeRun, field, lastJsonObject, recordCompat, run } from "./support.js";

const ARM = "https://management.azure.com/";
const CLOUD_SHELL_KEYS = ["access_token", "refresh_token", "expires_in", "expires_on", "not_before", "resource", "token_type"];
const APP_SERVICE_KEYS = ["access_token", "expires_on", "resource", "token_type", "client_id"];

async function curlVersion(): Promise<string> {
  const result = await run("curl", ["--version"], { PATH: process.env.PATH ?? "/usr/bin:/bin" });
  return /^curl (\S+)/.exec(result.stdout)?.[1] ?? "unknown";
}

function identityVersion(): string {
  const parsed: unknown = JSON.parse(readFileSync(join(CLIENTS_DIR, "..", "node_modules", "@azure/identity", "package.json"), "utf8"));
  return field(asObject(parsed, "package.json"), "version", "string");
}

/** Every value a string, `expires_on` epoch seconds within seconds of the token's exp, `resource` echoed. */
function expectExpiryFields(body: Record<string, unknown>, resource: string): Record<string, unknown> {
  for (const value of Object.values(body)) expect(typeof value).toBe("string");
  const claims = decodeClaims(field(body, "access_token", "string"));
  expect(claims.aud).toBe(resource);
  expect(field(body, "resource", "string")).toBe(resource);
  expect(field(body, "token_type", "string")).toBe("Bearer");
  const expiresOn = field(body, "expires_on", "string");
  expect(expiresOn).toMatch(/^\d{10}$/);
  expect(Math.abs(Number(expiresOn) - Number(claims.exp))).toBeLessThanOrEqual(5);
  return claims;
}

function errorCode(json: unknown): string {
  return field(asObject(asObject(json, "body").error, "error"), "code", "string");
}

test.describe("token dialects through the browser", () => {
  test("curl per Cloud Shell's docs: token, expiry fields, then the VM list on the mock ARM", async ({ session, stack }) => {
    recordCompat({ client: "curl (Cloud Shell docs command)", version: await curlVersion(), dialect: "Cloud Shell", checks: "exact JSON keys; aud; expires_on/expires_in; mock ARM" });
    const result = await curlToken(session.endpointUrl, ARM);
    expect(result.status).toBe(200);
    const body = asObject(result.json, "body");
    expect(Object.keys(body)).toEqual(CLOUD_SHELL_KEYS);
    expectExpiryFields(body, ARM);
    expect(Number(field(body, "expires_in", "string"))).toBeGreaterThan(3000);
    const vmUrl = `${stack.emulator.armUrl}subscriptions/${stack.emulator.subscriptionId}/providers/Microsoft.Compute/virtualMachines?api-version=2021-07-01`;
    const vms = await curl([vmUrl, "-H", `Authorization: Bearer ${field(body, "access_token", "string")}`, "--cacert", stack.emulator.certPath]);
    expect(vms.status).toBe(200);
    const list = asObject(vms.json, "VM list").value;
    expect(Array.isArray(list) ? list.map((vm) => asObject(vm, "vm").name) : []).toEqual(SEED_VMS);
  });

  test("IMDS dialect: GET /metadata/identity/oauth2/token with api-version goes through the browser", async ({ session }) => {
    recordCompat({ client: "curl, IMDS request (`GET …/metadata/identity/oauth2/token?api-version=2018-02-01`)", version: await curlVersion(), dialect: "IMDS", checks: "same JSON as Cloud Shell; aud; Metadata and api-version required" });
    const url = `${session.endpointUrl}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=${encodeURIComponent("https://graph.microsoft.com/")}`;
    const ok = await curl([url, "-H", "Metadata: true"]);
    expect(ok.status).toBe(200);
    const body = asObject(ok.json, "body");
    expect(Object.keys(body)).toEqual(CLOUD_SHELL_KEYS);
    expectExpiryFields(body, "https://graph.microsoft.com/");
    await expect(activity(session.page)).toHaveCount(1);

    const noMetadata = await curl([url]);
    expect([noMetadata.status, errorCode(noMetadata.json)]).toEqual([400, "MetadataHeaderRequired"]);
    const noVersion = await curl([`${session.endpointUrl}/metadata/identity/oauth2/token?resource=https://graph.microsoft.com/`, "-H", "Metadata: true"]);
    expect([noVersion.status, errorCode(noVersion.json)]).toEqual([400, "InvalidRequest"]);
    // Refusals never reached the browser.
    await expect(activity(session.page)).toHaveCount(1);
  });

  test("App Service dialect: the right secret header gets App Service's shape; a wrong or missing one is refused", async ({ session, stack }) => {
    recordCompat({ client: "curl, App Service request (`GET /msi/token?api-version=2019-08-01`, `X-IDENTITY-HEADER`)", version: await curlVersion(), dialect: "App Service", checks: "App Service JSON keys; aud; expires_on; 400 missing / 401 wrong secret" });
    const { env, cleanup } = await clientEnv(stack, session.endpointUrl, { appService: true });
    cleanup();
    const endpoint = env.IDENTITY_ENDPOINT;
    const secret = env.IDENTITY_HEADER;
    if (endpoint === undefined || secret === undefined) throw new Error("the env command printed no IDENTITY_ENDPOINT/IDENTITY_HEADER");
    expect(endpoint).toBe(`http://localhost:${new URL(session.endpointUrl).port}/msi/token`);
    const url = `${endpoint}?api-version=2019-08-01&resource=${encodeURIComponent("https://vault.azure.net")}`;

    const missing = await curl([url]);
    expect([missing.status, errorCode(missing.json)]).toEqual([400, "IdentityHeaderRequired"]);
    const wrong = await curl([url, "-H", `X-IDENTITY-HEADER: ${secret.slice(0, -2)}xx`]);
    expect([wrong.status, errorCode(wrong.json)]).toEqual([401, "IdentityHeaderInvalid"]);
    expect(wrong.body).not.toContain(secret);
    await session.page.waitForTimeout(300);
    await expect(activity(session.page)).toHaveCount(0);

    const ok = await curl([url, "-H", `X-IDENTITY-HEADER: ${secret}`]);
    expect(ok.status).toBe(200);
    const body = asObject(ok.json, "body");
    expect(Object.keys(body)).toEqual(APP_SERVICE_KEYS);
    const claims = expectExpiryFields(body, "https://vault.azure.net");
    expect(field(body, "client_id", "string")).toBe(String(claims.azp ?? claims.appid));
    await expect(activity(session.page)).toHaveCount(1);
  });

  test("@azure/identity ManagedIdentityCredential with IDENTITY_ENDPOINT/IDENTITY_HEADER uses the App Service dialect", async ({ session, stack }) => {
    recordCompat({ client: "@azure/identity ManagedIdentityCredential", version: identityVersion(), dialect: "App Service", checks: "IDENTITY_ENDPOINT + IDENTITY_HEADER; aud; expiresOnTimestamp; mock ARM" });
    const { env, cleanup } = await clientEnv(stack, session.endpointUrl, { appService: true });
    try {
      const result = await run(process.execPath, ["azure-identity.js", "managed", "https://management.azure.com/.default"], env);
      expect(result.code, describeRun(result)).toBe(0);
      const out = lastJsonObject(result.stdout);
      expect(field(out, "aud", "string")).toBe("https://management.azure.com");
      expect(Math.abs(field(out, "expiresOnTimestamp", "number") - field(out, "exp", "number") * 1000)).toBeLessThanOrEqual(5_000);
      expect(armResult(out)).toEqual({ status: 200, vms: SEED_VMS });
      await expect(activity(session.page)).toHaveCount(1);
    } finally {
      cleanup();
    }
  });

  test("Python azure-identity ManagedIdentityCredential with IDENTITY_ENDPOINT/IDENTITY_HEADER uses the App Service dialect", async ({ session, stack }) => {
    const version = (await run(DEBIAN_PYTHON, ["-c", "import azure.identity; print(azure.identity.__version__)"], { PATH: "/usr/bin:/bin" })).stdout.trim();
    recordCompat({ client: "Python azure-identity ManagedIdentityCredential (Debian python3-azure)", version: version || "unknown", dialect: "App Service", checks: "IDENTITY_ENDPOINT + IDENTITY_HEADER; aud; expires_on; mock ARM" });
    const { env, cleanup } = await clientEnv(stack, session.endpointUrl, { appService: true });
    try {
      const result = await run(DEBIAN_PYTHON, ["python_azure_identity.py", "https://vault.azure.net/.default"], env);
      expect(result.code, describeRun(result)).toBe(0);
      const out = lastJsonObject(result.stdout);
      expect(field(out, "aud", "string")).toBe("https://vault.azure.net");
      expect(Math.abs(field(out, "expiresOn", "number") - field(out, "exp", "number"))).toBeLessThanOrEqual(5);
      // A vault token is refused by ARM: the client reached the mock ARM, which checked the audience.
      expect(armResult(out)).toEqual({ status: 401, vms: [] });
      await expect(activity(session.page)).toHaveCount(1);
    } finally {
      cleanup();
    }
  });

  test("extra fields clients add are accepted or refused exactly as the README documents, and never crash", async ({ session }) => {
    const post = (body: string, query = "") => curl([`${session.endpointUrl}/oauth2/token${query}`, "--data", body, "-H", "Metadata:true"]);
    const accepted: [string, string][] = [
      ["resource=https://management.azure.com/&api-version=2018-02-01", ""],
      ["resource=https://management.azure.com/", "?api-version=2019-08-01"],
      ["resource=https://management.azure.com/&token_type=bearer", ""],
      ["resource=https://management.azure.com/&token_type=Bearer&req_cnf=eyJraWQiOiJrMSJ9&key_id=k1", ""],
      ["resource=https://management.azure.com/&client_id=", ""],
      ["resource=https://management.azure.com/&unknown_field=1", ""],
    ];
    for (const [body, query] of accepted) {
      const reply = await post(body, query);
      expect(reply.status, `${body}${query}`).toBe(200);
      expect(field(asObject(reply.json, "body"), "resource", "string")).toBe(ARM);
    }
    const refused: [string, number, string][] = [
      ["resource=https://management.azure.com/&client_id=00000000-0000-0000-0000-000000000001", 400, "IdentityNotSupported"],
      ["resource=https://management.azure.com/&object_id=00000000-0000-0000-0000-000000000001", 400, "IdentityNotSupported"],
      ["resource=https://management.azure.com/&msi_res_id=/subscriptions/x", 400, "IdentityNotSupported"],
      ["resource=https://management.azure.com/&mi_res_id=/subscriptions/x", 400, "IdentityNotSupported"],
      ["resource=https://management.azure.com/&principal_id=00000000-0000-0000-0000-000000000001", 400, "IdentityNotSupported"],
      ["resource=https://management.azure.com/&token_type=pop&req_cnf=eyJraWQiOiJrMSJ9", 400, "InvalidRequest"],
      ["resource=https://management.azure.com/&token_type=ssh-cert&key_id=k1", 400, "InvalidRequest"],
    ];
    for (const [body, status, code] of refused) {
      const reply = await post(body);
      expect([reply.status, errorCode(reply.json)], body).toEqual([status, code]);
    }
    // One token went through the browser; everything else was the cache or a refusal, and the endpoint still answers.
    await expect(activity(session.page)).toHaveCount(1);
    expect((await curlToken(session.endpointUrl, ARM)).status).toBe(200);
  });
});
