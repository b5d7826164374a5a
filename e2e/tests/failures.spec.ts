import { activity, curlToken, expect, test } from "../fixtures.js";

const ARM = "https://management.azure.com/";
const GRAPH = "https://graph.microsoft.com/";

test.describe("failures end quickly with a stable code", () => {
  test("no browser attached → 503 BrowserNotConnected within a second", async ({ session }) => {
    await session.page.close();
    // The relay notices the tab is gone; from then on the endpoint answers at once.
    await expect.poll(async () => (await curlToken(session.endpointUrl, ARM)).status, { timeout: 10_000 }).toBe(503);
    const result = await curlToken(session.endpointUrl, ARM);
    expect(result.status).toBe(503);
    expect((result.json as { error: { code: string } }).error.code).toBe("BrowserNotConnected");
    expect(result.ms).toBeLessThan(1000);
  });

  test("the browser closed mid-request → an error within the deadline, no hang", async ({ session, stack }) => {
    stack.emulator.faults.set({ delayMs: 8_000 });
    const pending = curlToken(session.endpointUrl, ARM);
    // Wait until the request is inside the browser (the console lists it as pending), then close the tab.
    await expect(session.page.frameLocator("#console").locator('[data-testid="requests"] li[data-outcome="pending"]')).toHaveCount(1);
    await session.page.close();
    const result = await pending;
    expect(result.status).toBe(503);
    expect((result.json as { error: { code: string } }).error.code).toBe("BrowserDisconnected");
    expect(result.ms).toBeLessThan(8_000);
  });

  test("interaction required → the user clicks Approve → the waiting request gets its token", async ({ session, stack }) => {
    stack.emulator.faults.set({ interactionRequired: [GRAPH] });
    const pending = curlToken(session.endpointUrl, GRAPH);
    const prompt = session.page.locator('[data-testid="interaction-prompt"]');
    await expect(prompt).toBeVisible();
    await expect(prompt).toContainText(GRAPH);
    const popupPromise = session.page.waitForEvent("popup");
    await session.page.locator("#approve").click();
    const popup = await popupPromise;
    const user = stack.users[0];
    if (user === undefined) throw new Error("no demo user");
    await popup.locator('input[name="password"]').fill(user.password);
    await popup.getByRole("button", { name: "Sign in" }).click();
    const result = await pending;
    expect(result.status).toBe(200);
    const body = result.json as Record<string, string>;
    expect(body.resource).toBe(GRAPH);
    await expect(activity(session.page).last()).toHaveAttribute("data-outcome", "ok");
  });

  test("AAD refusing a resource reaches the client with AAD's code", async ({ session, stack }) => {
    stack.emulator.faults.set({ refuseResources: ["https://vault.azure.net"] });
    const result = await curlToken(session.endpointUrl, "https://vault.azure.net");
    expect(result.status).toBe(400);
    expect((result.json as { error: { code: string; message: string } }).error.code).toBe("invalid_resource");
  });
});
