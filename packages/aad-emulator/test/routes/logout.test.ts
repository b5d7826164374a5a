import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/server.js";
import { authorizeParams, getAuthorize, pkcePair, redirectAnswer, signIn, startTestEmulator } from "../helpers/flow.js";
import { header, httpsRequest } from "../helpers/https-client.js";

describe("logout", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startTestEmulator();
  });
  afterAll(() => emulator.close());

  const logoutPath = (target: string): string =>
    `/${emulator.tenantId}/oauth2/v2.0/logout?post_logout_redirect_uri=${encodeURIComponent(target)}`;

  it("clears the cookie and redirects to a page on a registered redirect URI's origin", async () => {
    const response = await httpsRequest(emulator, logoutPath("http://localhost:5173/"));
    expect(response.status).toBe(302);
    expect(header(response, "location")).toBe("http://localhost:5173/");
    expect(header(response, "set-cookie")).toMatch(/aad_emulator_session=; .*Max-Age=0/);
  });

  it("shows a signed-out page instead of redirecting to another origin", async () => {
    const response = await httpsRequest(emulator, logoutPath("https://attacker.example/"));
    expect(response.status).toBe(200);
    expect(header(response, "location")).toBeUndefined();
    expect(response.text).toContain("You signed out");
  });

  it("shows the signed-out page without post_logout_redirect_uri", async () => {
    const response = await httpsRequest(emulator, `/${emulator.tenantId}/oauth2/v2.0/logout`);
    expect(response.status).toBe(200);
    expect(response.text).toContain("You signed out");
  });

  it("ends the session, so its sid no longer approves prompt=none", async () => {
    const { answer, loginResponse } = await signIn(emulator);
    const sid = answer.get("session_state") ?? "";
    const cookie = (header(loginResponse, "set-cookie") ?? "").split(";")[0] ?? "";
    const before = await getAuthorize(emulator, authorizeParams(pkcePair(), { prompt: "none", sid }));
    expect(redirectAnswer(before).get("code")).not.toBeNull();
    await httpsRequest(emulator, logoutPath("http://localhost:5173/"), { headers: { Cookie: cookie } });
    const after = await getAuthorize(emulator, authorizeParams(pkcePair(), { prompt: "none", sid }));
    expect(redirectAnswer(after).get("error")).toBe("login_required");
  });
});
