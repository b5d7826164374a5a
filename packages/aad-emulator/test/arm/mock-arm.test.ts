import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/server.js";
import { createFakeClock, type FakeClock } from "../helpers/fake-clock.js";
import { accessTokenFor, ARM_SCOPE, startTestEmulator } from "../helpers/flow.js";
import { header, httpsRequest, jsonObject, type HttpResponse } from "../helpers/https-client.js";
import { anyString, containing, matching, objectContaining } from "../helpers/matchers.js";

const VM_PATH = (sub: string): string => `/subscriptions/${sub}/providers/Microsoft.Compute/virtualMachines?api-version=2021-07-01`;

/** Changes one character in the middle of the token's payload. */
function tamper(token: string): string {
  const [head, payload, signature] = token.split(".");
  if (head === undefined || payload === undefined || signature === undefined) throw new Error("not a JWT");
  const middle = Math.floor(payload.length / 2);
  const replacement = payload[middle] === "A" ? "B" : "A";
  return `${head}.${payload.slice(0, middle)}${replacement}${payload.slice(middle + 1)}.${signature}`;
}

function expectUnauthorized(response: HttpResponse, code: string): void {
  expect(response.status).toBe(401);
  expect(header(response, "www-authenticate")).toMatch(/^Bearer authorization_uri="https:\/\/localhost:\d+\/[^"]+", error="invalid_token"/);
  expect(jsonObject(response)).toEqual({ error: { code, message: anyString() } });
}

describe("mock ARM", () => {
  let emulator: Emulator;
  let clock: FakeClock;
  let armToken: string;
  beforeAll(async () => {
    clock = createFakeClock();
    emulator = await startTestEmulator({ clock, accessTokenLifetimeSec: 600 });
    armToken = await accessTokenFor(emulator, ARM_SCOPE);
  });
  afterAll(() => emulator.close());

  const get = (path: string, token?: string): Promise<HttpResponse> =>
    httpsRequest(emulator, path, { headers: token === undefined ? {} : { Authorization: `Bearer ${token}` } });

  it("lists the three demo VMs for a valid ARM token", async () => {
    const response = await get(VM_PATH(emulator.subscriptionId), armToken);
    expect(response.status).toBe(200);
    const body = jsonObject(response);
    const vms = Array.isArray(body.value) ? body.value : [];
    expect(vms.map((vm: unknown) => (typeof vm === "object" && vm !== null && "name" in vm ? vm.name : undefined))).toEqual([
      "vm-web-01",
      "vm-api-01",
      "vm-batch-01",
    ]);
    expect(vms[0]).toMatchObject({
      id: `/subscriptions/${emulator.subscriptionId}/resourceGroups/rg-authbridge-demo/providers/Microsoft.Compute/virtualMachines/vm-web-01`,
      type: "Microsoft.Compute/virtualMachines",
      location: anyString(),
      properties: { vmId: matching(/^[0-9a-f-]{36}$/), hardwareProfile: { vmSize: anyString() }, provisioningState: "Succeeded" },
    });
  });

  it("lists the demo subscription", async () => {
    const response = await get("/subscriptions?api-version=2019-11-01", armToken);
    expect(response.status).toBe(200);
    expect(jsonObject(response).value).toEqual([
      objectContaining({
        id: `/subscriptions/${emulator.subscriptionId}`,
        subscriptionId: emulator.subscriptionId,
        tenantId: emulator.tenantId,
        displayName: "authbridge demo",
        state: "Enabled",
      }),
    ]);
  });

  it("accepts the management.core.windows.net audience that az login asks for", async () => {
    const token = await accessTokenFor(emulator, "https://management.core.windows.net//.default");
    expect((await get(VM_PATH(emulator.subscriptionId), token)).status).toBe(200);
  });

  it("refuses a tampered token with 401 InvalidAuthenticationToken", async () => {
    expectUnauthorized(await get(VM_PATH(emulator.subscriptionId), tamper(armToken)), "InvalidAuthenticationToken");
  });

  it("refuses a token for another audience with 401", async () => {
    const graphToken = await accessTokenFor(emulator, "User.Read");
    const response = await get(VM_PATH(emulator.subscriptionId), graphToken);
    expectUnauthorized(response, "InvalidAuthenticationToken");
    expect(jsonObject(response)).toMatchObject({ error: { message: containing("wrong audience") } });
  });

  it("refuses a request without Authorization with 401 AuthenticationFailed", async () => {
    expectUnauthorized(await get(VM_PATH(emulator.subscriptionId)), "AuthenticationFailed");
  });

  it("refuses a token signed by another emulator's key", async () => {
    const other = await startTestEmulator({ tenantId: emulator.tenantId });
    try {
      const foreign = await accessTokenFor(other, ARM_SCOPE);
      expectUnauthorized(await get(VM_PATH(emulator.subscriptionId), foreign), "InvalidAuthenticationToken");
    } finally {
      await other.close();
    }
  });

  it("refuses an expired token with 401", async () => {
    const token = await accessTokenFor(emulator, ARM_SCOPE);
    expect((await get(VM_PATH(emulator.subscriptionId), token)).status).toBe(200);
    clock.advance(601_000);
    const response = await get(VM_PATH(emulator.subscriptionId), token);
    expectUnauthorized(response, "InvalidAuthenticationToken");
    expect(jsonObject(response)).toMatchObject({ error: { message: containing("expiry") } });
    armToken = await accessTokenFor(emulator, ARM_SCOPE);
  });

  it("requires api-version (after authentication)", async () => {
    const response = await get(`/subscriptions/${emulator.subscriptionId}/providers/Microsoft.Compute/virtualMachines`, armToken);
    expect(response.status).toBe(400);
    expect(jsonObject(response)).toMatchObject({ error: { code: "MissingApiVersionParameter" } });
  });

  it("answers 404 SubscriptionNotFound for another subscription", async () => {
    const response = await get(VM_PATH("11111111-1111-4111-8111-111111111111"), armToken);
    expect(response.status).toBe(404);
    expect(jsonObject(response)).toMatchObject({ error: { code: "SubscriptionNotFound" } });
  });
});
