import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/server.js";
import { ARM_SCOPE, CLIENT_ID, claimsOf, redeemCode, refresh, signIn, signInForTokens, startTestEmulator, tokenPath } from "../helpers/flow.js";
import { header, jsonObject, postForm, stringField } from "../helpers/https-client.js";
import { matching } from "../helpers/matchers.js";

const ARM = "https://management.azure.com/";

describe("token endpoint fault switches", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startTestEmulator();
  });
  afterEach(() => emulator.faults.reset());
  afterAll(() => emulator.close());

  it("refuseResources answers invalid_resource AADSTS500011 for that resource only", async () => {
    const tokens = await signInForTokens(emulator);
    emulator.faults.set({ refuseResources: [ARM] });
    const refused = await refresh(emulator, stringField(tokens, "refresh_token"), ARM_SCOPE);
    expect(refused.status).toBe(400);
    const body = jsonObject(refused);
    expect(body).toMatchObject({ error: "invalid_resource", error_codes: [500011] });
    expect(body.error_description).toMatch(/^AADSTS500011: The resource principal named https:\/\/management\.azure\.com\/ was not found in the tenant/);
    const graph = await refresh(emulator, stringField(tokens, "refresh_token"), "User.Read");
    expect(graph.status).toBe(200);
  });

  it("refuseResources also refuses the code grant for that resource", async () => {
    emulator.faults.set({ refuseResources: ["https://graph.microsoft.com"] });
    const { code, pkce } = await signIn(emulator);
    const response = await redeemCode(emulator, code, pkce.verifier);
    expect(jsonObject(response)).toMatchObject({ error: "invalid_resource" });
  });

  it("interactionRequired fails the refresh grant with interaction_required but lets the code grant through", async () => {
    emulator.faults.set({ interactionRequired: [ARM] });
    const { code, pkce } = await signIn(emulator);
    const codeGrant = await redeemCode(emulator, code, pkce.verifier, { scope: ARM_SCOPE });
    expect(codeGrant.status).toBe(200);
    expect(claimsOf(stringField(jsonObject(codeGrant), "access_token")).aud).toBe(ARM);

    const refreshed = await refresh(emulator, stringField(jsonObject(codeGrant), "refresh_token"), ARM_SCOPE);
    expect(refreshed.status).toBe(400);
    expect(jsonObject(refreshed)).toMatchObject({
      error: "interaction_required",
      error_codes: [50076],
      error_description: matching(/^AADSTS50076: .*multi-factor authentication/),
    });
  });

  it("delayMs holds the token response back at least that long", async () => {
    const tokens = await signInForTokens(emulator);
    emulator.faults.set({ delayMs: 300 });
    const started = performance.now();
    const response = await refresh(emulator, stringField(tokens, "refresh_token"), ARM_SCOPE);
    expect(response.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it("delayMs: a client that hangs up during the delay is issued nothing (and nothing is counted)", async () => {
    const tokens = await signInForTokens(emulator);
    emulator.faults.set({ delayMs: 400 });
    const issuedBefore = emulator.stats().tokensIssued[ARM] ?? 0;
    const fields = { client_id: CLIENT_ID, scope: ARM_SCOPE, refresh_token: stringField(tokens, "refresh_token"), grant_type: "refresh_token" };
    await expect(postForm(emulator, tokenPath(emulator), fields, {}, AbortSignal.timeout(100))).rejects.toThrow(/abort/i);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(emulator.stats().tokensIssued[ARM] ?? 0).toBe(issuedBefore);
    // A client that waits still gets its token.
    expect((await refresh(emulator, stringField(tokens, "refresh_token"), ARM_SCOPE)).status).toBe(200);
    expect(emulator.stats().tokensIssued[ARM] ?? 0).toBe(issuedBefore + 1);
  });

  it("failStatus answers that status with temporarily_unavailable, CORS included", async () => {
    const tokens = await signInForTokens(emulator);
    emulator.faults.set({ failStatus: 503 });
    const response = await refresh(emulator, stringField(tokens, "refresh_token"), ARM_SCOPE);
    expect(response.status).toBe(503);
    expect(header(response, "access-control-allow-origin")).toBe("*");
    expect(jsonObject(response)).toMatchObject({ error: "temporarily_unavailable" });
  });

  it("works again after reset", async () => {
    const tokens = await signInForTokens(emulator);
    emulator.faults.set({ failStatus: 500, refuseResources: [ARM] });
    emulator.faults.reset();
    expect((await refresh(emulator, stringField(tokens, "refresh_token"), ARM_SCOPE)).status).toBe(200);
  });
});
