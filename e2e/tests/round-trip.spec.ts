import { spawn } from "node:child_process";
import { activity, curl, curlToken, decodeClaims, expect, test } from "../fixtures.js";

const ARM = "https://management.azure.com/";

test.describe("the token round trip through the browser", () => {
  test("curl gets an ARM token in Cloud Shell's exact JSON shape", async ({ session, stack }) => {
    const started = Math.floor(Date.now() / 1000);
    const result = await curlToken(session.endpointUrl, ARM);
    expect(result.status).toBe(200);
    const body = result.json as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(["access_token", "refresh_token", "expires_in", "expires_on", "not_before", "resource", "token_type"]);
    for (const value of Object.values(body)) expect(typeof value).toBe("string");
    expect(body.resource).toBe(ARM);
    expect(body.token_type).toBe("Bearer");
    expect(body.refresh_token).toBe("");
    expect(Number(body.expires_on)).toBeGreaterThan(started + 3000);
    expect(Number(body.expires_in)).toBeGreaterThan(3000);
    const claims = decodeClaims(String(body.access_token));
    expect(claims).toMatchObject({ aud: ARM, iss: stack.emulator.issuer, tid: stack.emulator.tenantId, upn: stack.users[0]?.username });
    await expect(activity(session.page)).toHaveCount(1);
    await expect(activity(session.page).first()).toHaveAttribute("data-outcome", "ok");
    await expect(session.page.frameLocator("#console").locator('[data-testid="requests"] li')).toHaveCount(1);
  });

  test("the seed's python one-liner prints a token", async ({ session }) => {
    const oneLiner = `curl ${session.endpointUrl}/oauth2/token --data "resource=https://management.azure.com/" -H Metadata:true -s | python3 -c 'import sys, json; print(json.load(sys.stdin)["access_token"])'`;
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn("bash", ["-c", oneLiner], { stdio: ["ignore", "pipe", "inherit"] });
      let out = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
      child.on("error", reject);
      child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}`))));
    });
    expect(output.trim()).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  test("a cached token is served without reaching the browser", async ({ session, stack }) => {
    const first = await curlToken(session.endpointUrl, ARM);
    expect(first.status).toBe(200);
    await expect(activity(session.page)).toHaveCount(1);
    const issued = stack.emulator.stats().tokensIssued[ARM];
    expect(issued).toBe(1);
    for (let i = 0; i < 3; i++) {
      const again = await curlToken(session.endpointUrl, ARM);
      expect(again.status).toBe(200);
      expect((again.json as Record<string, unknown>).access_token).toBe((first.json as Record<string, unknown>).access_token);
    }
    // Give a stray round trip time to show up before counting.
    await session.page.waitForTimeout(300);
    await expect(activity(session.page)).toHaveCount(1);
    expect(stack.emulator.stats().tokensIssued[ARM]).toBe(1);
  });

  test("an unsupported audience gets the exact 400 JSON and never reaches the browser", async ({ session }) => {
    const result = await curlToken(session.endpointUrl, "https://newservice.azure.com/");
    expect(result.status).toBe(400);
    const body = result.json as { error: { code: string; message: string } };
    expect(Object.keys(body)).toEqual(["error"]);
    expect(body.error.code).toBe("AudienceNotSupported");
    expect(body.error.message).toMatch(/^Audience https:\/\/newservice\.azure\.com\/ is not a supported MSI token audience\. Supported audiences: https:\/\/management\.core\.windows\.net\/, /);
    await session.page.waitForTimeout(300);
    await expect(activity(session.page)).toHaveCount(0);
  });

  test("the token works on the mock ARM and a tampered one gets 401", async ({ session, stack }) => {
    const result = await curlToken(session.endpointUrl, ARM);
    const token = String((result.json as Record<string, unknown>).access_token);
    const vmUrl = `${stack.emulator.armUrl}subscriptions/${stack.emulator.subscriptionId}/providers/Microsoft.Compute/virtualMachines?api-version=2021-07-01`;
    const ca = ["--cacert", stack.emulator.certPath];
    const ok = await curl([vmUrl, "-H", `Authorization: Bearer ${token}`, ...ca]);
    expect(ok.status).toBe(200);
    const names = (ok.json as { value: { name: string }[] }).value.map((vm) => vm.name);
    expect(names).toEqual(["vm-web-01", "vm-api-01", "vm-batch-01"]);

    const [header, payload, signature] = token.split(".");
    const claims = decodeClaims(token);
    const forged = Buffer.from(JSON.stringify({ ...claims, oid: "00000000-0000-0000-0000-000000000bad" })).toString("base64url");
    for (const tampered of [`${header}.${forged}.${signature}`, `${header}.${payload}.${(signature ?? "").slice(0, -4)}AAAA`]) {
      const refused = await curl([vmUrl, "-H", `Authorization: Bearer ${tampered}`, ...ca]);
      expect(refused.status).toBe(401);
      expect((refused.json as { error: { code: string } }).error.code).toBe("InvalidAuthenticationToken");
    }
  });
});

test("a reloaded portal tab re-attaches to its session and endpoint instead of starting another", async ({ session, stack }) => {
  const sessions = await stack.relay.sessionCount();
  const sessionId = await session.page.locator('[data-testid="session-state"]').getAttribute("data-session-id");
  await session.page.reload();
  await expect(session.page.frameLocator("#console").locator('[data-testid="status"]')).toHaveAttribute("data-state", "ready");
  await expect(session.page.locator('[data-testid="session-state"]')).toHaveAttribute("data-session-id", sessionId ?? "");
  await expect(session.page.locator('[data-testid="endpoint-url"]')).toHaveAttribute("data-url", session.endpointUrl);
  expect(await stack.relay.sessionCount()).toBe(sessions);
  const result = await curlToken(session.endpointUrl, ARM);
  expect(result.status).toBe(200);
});
