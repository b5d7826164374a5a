import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/server.js";
import { ARM_SCOPE, authorizeParams, getAuthorize, pkcePair, redeemCode, refresh, signIn, startTestEmulator } from "../helpers/flow.js";
import { httpsRequest, jsonObject, postJson, stringField } from "../helpers/https-client.js";

describe("admin API and stats", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startTestEmulator();
  });
  beforeEach(async () => {
    await postJson(emulator, "/_emulator/reset", {});
  });
  afterAll(() => emulator.close());

  it("GET /_emulator/faults shows the switches", async () => {
    const response = await httpsRequest(emulator, "/_emulator/faults");
    expect(response.status).toBe(200);
    expect(jsonObject(response)).toEqual({ refuseResources: [], interactionRequired: [], delayMs: 0, failStatus: null });
  });

  it("POST /_emulator/faults applies a partial update and returns all switches", async () => {
    const response = await postJson(emulator, "/_emulator/faults", { failStatus: 503, refuseResources: ["https://vault.azure.net"] });
    expect(response.status).toBe(200);
    expect(jsonObject(response)).toEqual({ refuseResources: ["https://vault.azure.net"], interactionRequired: [], delayMs: 0, failStatus: 503 });
    expect(emulator.faults.get().failStatus).toBe(503);
  });

  it("POST /_emulator/faults refuses invalid or unknown fields and changes nothing", async () => {
    for (const body of [{ delayMs: "soon" }, { failStatus: 200 }, { refuseResources: "https://vault.azure.net" }, { explode: true }]) {
      const response = await postJson(emulator, "/_emulator/faults", body);
      expect(response.status).toBe(400);
      expect(jsonObject(response)).toMatchObject({ error: { code: "InvalidFaults" } });
    }
    expect(emulator.faults.get()).toEqual({ refuseResources: [], interactionRequired: [], delayMs: 0, failStatus: null });
  });

  it("POST /_emulator/faults refuses a body that is not JSON", async () => {
    const response = await httpsRequest(emulator, "/_emulator/faults", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{" });
    expect(response.status).toBe(400);
  });

  it("counts authorize requests, token requests and access tokens per resource", async () => {
    const { code, pkce } = await signIn(emulator);
    await getAuthorize(emulator, authorizeParams(pkcePair(), { prompt: "none" }));
    const tokens = jsonObject(await redeemCode(emulator, code, pkce.verifier));
    await refresh(emulator, stringField(tokens, "refresh_token"), ARM_SCOPE);
    await refresh(emulator, stringField(tokens, "refresh_token"), ARM_SCOPE);
    await refresh(emulator, "unknown", ARM_SCOPE);
    const expected = { tokenRequests: 4, authorizeRequests: 2, tokensIssued: { "https://graph.microsoft.com": 1, "https://management.azure.com/": 2 } };
    const { tokenHandlingMs, ...counts } = emulator.stats();
    expect(counts).toEqual(expected);
    expect(tokenHandlingMs).toBeGreaterThan(0);
    const { tokenHandlingMs: servedMs, ...served } = jsonObject(await httpsRequest(emulator, "/_emulator/stats"));
    expect(served).toEqual(expected);
    expect(servedMs).toBe(tokenHandlingMs);
  });

  it("counts a token request refused by a fault but issues nothing", async () => {
    emulator.faults.set({ failStatus: 503 });
    await refresh(emulator, "anything", ARM_SCOPE);
    const { tokenHandlingMs: _ms, ...counts } = emulator.stats();
    expect(counts).toEqual({ tokenRequests: 1, authorizeRequests: 0, tokensIssued: {} });
  });

  it("POST /_emulator/reset clears faults and stats", async () => {
    emulator.faults.set({ delayMs: 5 });
    await refresh(emulator, "anything", ARM_SCOPE);
    const response = await postJson(emulator, "/_emulator/reset", {});
    expect(response.status).toBe(200);
    expect(emulator.stats()).toEqual({ tokenRequests: 0, authorizeRequests: 0, tokensIssued: {}, tokenHandlingMs: 0 });
    expect(emulator.faults.get().delayMs).toBe(0);
  });

  it("resetStats() clears the counters", async () => {
    await refresh(emulator, "anything", ARM_SCOPE);
    emulator.resetStats();
    expect(emulator.stats().tokenRequests).toBe(0);
  });

  it("POST /_emulator/clients registers a client that can then sign in", async () => {
    const response = await postJson(emulator, "/_emulator/clients", { clientId: "cli-client", redirectUris: ["http://localhost:7000/cb"] });
    expect(response.status).toBe(201);
    const page = await getAuthorize(emulator, authorizeParams(pkcePair(), { client_id: "cli-client", redirect_uri: "http://localhost:7000/cb" }));
    expect(page.status).toBe(200);
  });

  it("POST /_emulator/clients refuses a redirect URI that is not http(s)", async () => {
    const response = await postJson(emulator, "/_emulator/clients", { clientId: "bad", redirectUris: ["javascript:alert(1)"] });
    expect(response.status).toBe(400);
  });
});
