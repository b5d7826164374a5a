import { fileURLToPath } from "node:url";
import type { FrameLocator, Page } from "@playwright/test";
import { JWT_PATTERN, signInThroughPortal, startStack } from "@authbridge/cli";
import { curlToken, expect, test } from "../fixtures.js";

const SCREENSHOT = fileURLToPath(new URL("../../docs/terminal.png", import.meta.url));
const PYTHON_ACCESS_TOKEN = `python3 -c 'import sys, json; print(json.load(sys.stdin)["access_token"])'`;

function consoleFrame(page: Page): FrameLocator {
  return page.frameLocator("#console");
}

/** What the terminal shows: one string per screen row (scrollback included), as xterm's DOM renderer draws it. */
async function screen(page: Page): Promise<string> {
  const rows = await consoleFrame(page).locator(".xterm-rows > div").allTextContents();
  return rows.map((row) => row.replace(/\u00a0/g, " ").trimEnd()).join("\n");
}

/** Types a command line into the terminal, as a person would, and presses Enter. */
async function typeLine(page: Page, line: string): Promise<void> {
  await consoleFrame(page).locator(".xterm").click();
  await page.keyboard.type(line);
  await page.keyboard.press("Enter");
}

/** The value printed after `label` by the newest matching line (`echo "label:$value"`). */
async function printed(page: Page, label: string): Promise<string> {
  const pattern = new RegExp(`^${label}:(\\S+)`, "gm");
  let value: string | undefined;
  await expect
    .poll(async () => {
      value = [...(await screen(page)).matchAll(pattern)].at(-1)?.[1];
      return value;
    })
    .toBeDefined();
  return value ?? "";
}

async function terminalReady(page: Page): Promise<void> {
  await expect(consoleFrame(page).locator('[data-testid="status"]')).toHaveAttribute("data-state", "ready");
  // The login shell's prompt.
  await expect.poll(async () => /[$#] *$/m.test(await screen(page)), { timeout: 20_000 }).toBe(true);
}

test.describe("the terminal in the console iframe", () => {
  test("runs the seed's commands: a token from the one-liner, then the VM list from ARM", async ({ session, stack }) => {
    const { page, endpointUrl } = session;
    await page.setViewportSize({ width: 1100, height: 800 });
    await terminalReady(page);

    await typeLine(page, `echo "env:$MSI_ENDPOINT|$ACC_CLOUD|$AZUREPS_HOST_ENVIRONMENT|$TERM|$(env | grep -c '^AUTHBRIDGE_')"`);
    const port = new URL(endpointUrl).port;
    expect(await printed(page, "env")).toBe(`http://localhost:${port}/oauth2/token|authbridge|cloud-shell/1.0|xterm-256color|0`);

    // The seed's one-liner verbatim, with this session's endpoint (e2e endpoints listen on free ports).
    await typeLine(page, `curl ${endpointUrl}/oauth2/token --data "resource=https://management.azure.com/" -H Metadata:true -s | ${PYTHON_ACCESS_TOKEN}`);
    // A long token wraps over several rows: join them to find it.
    await expect.poll(async () => JWT_PATTERN.test((await screen(page)).replace(/\n/g, ""))).toBe(true);

    await typeLine(page, `export CURL_CA_BUNDLE=${stack.emulator.certPath} ARM=${stack.emulator.armUrl} SUBSCRIPTION=${stack.emulator.subscriptionId}`);
    await typeLine(page, `token=$(curl $MSI_ENDPOINT --data "resource=https://management.azure.com/" -H Metadata:true -s | ${PYTHON_ACCESS_TOKEN})`);
    // Keep the token out of the screenshot: start from a clean screen.
    await typeLine(page, "clear");
    await expect.poll(async () => (await screen(page)).trim()).toMatch(/^[^\n]*[$#]$/);
    await typeLine(
      page,
      `curl -s "\${ARM}subscriptions/\${SUBSCRIPTION}/providers/Microsoft.Compute/virtualMachines?api-version=2021-07-01" -H "Authorization: Bearer $token" | python3 -c 'import sys, json; print(*(vm["name"] for vm in json.load(sys.stdin)["value"]))'`,
    );
    await expect.poll(() => screen(page)).toMatch(/^vm-web-01 vm-api-01 vm-batch-01$/m);
    await typeLine(page, "stty size");
    await expect.poll(() => screen(page)).toMatch(/^\d+ \d+\n[^\n]*[$#]$/m);
    expect(await screen(page)).not.toMatch(/eyJ[\w-]{10,}\.[\w-]{10,}/);
    await page.screenshot({ path: SCREENSHOT });
  });

  test("resizing the page resizes the shell's terminal", async ({ session }) => {
    const { page } = session;
    await page.setViewportSize({ width: 1200, height: 900 });
    await terminalReady(page);
    await typeLine(page, `echo "size-a:$(stty size | tr ' ' x)"`);
    const before = await printed(page, "size-a");
    await page.setViewportSize({ width: 700, height: 600 });
    await expect
      .poll(async () => {
        await typeLine(page, `echo "size-b:$(stty size | tr ' ' x)"`);
        return printed(page, "size-b");
      })
      .not.toBe(before);
    const [rowsBefore = 0, colsBefore = 0] = before.split("x").map(Number);
    const [rows = 0, cols = 0] = (await printed(page, "size-b")).split("x").map(Number);
    expect(cols).toBeLessThan(colsBefore);
    expect(rows).toBeLessThan(rowsBefore);
  });

  test("copy and paste: Ctrl+Shift+C copies the selection, Ctrl+V pastes into the shell", async ({ session, stack }) => {
    const { page } = session;
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    await terminalReady(page);
    const frame = page.frames().find((candidate) => candidate.url().startsWith(stack.console.origin));
    if (frame === undefined) throw new Error("the console frame is not loaded");

    // Paste: what the clipboard holds becomes the shell's input.
    // (Strings, not functions: this Node-side tsconfig has no DOM types.)
    await frame.evaluate(`navigator.clipboard.writeText('echo "pasted:$((6 * 7))"')`);
    await consoleFrame(page).locator(".xterm").click();
    await page.keyboard.press("Control+V");
    await page.keyboard.press("Enter");
    expect(await printed(page, "pasted")).toBe("42");

    // Copy: select the output row and copy it with Ctrl+Shift+C.
    await frame.evaluate(`navigator.clipboard.writeText("")`);
    // xterm selects with mouse events on its screen layer, which covers the rows: click the row's position.
    const box = await consoleFrame(page).locator(".xterm-rows > div", { hasText: /^pasted:42/ }).last().boundingBox();
    if (box === null) throw new Error("the pasted command's output row is not on screen");
    await page.mouse.click(box.x + 20, box.y + box.height / 2, { clickCount: 3 });
    await page.keyboard.press("Control+Shift+C");
    // The console may only write the clipboard (iframe allow="clipboard-write"); read it back from the portal.
    await expect.poll(() => page.evaluate<string>("navigator.clipboard.readText()")).toContain("pasted:42");
  });

  test("a reloaded tab finds the same shell, with its recent output replayed", async ({ session }) => {
    const { page } = session;
    await terminalReady(page);
    await typeLine(page, 'echo "pid-a:$$"');
    const pid = await printed(page, "pid-a");
    expect(pid).toMatch(/^\d+$/);
    await page.reload();
    await terminalReady(page);
    // Replayed from the container's ring buffer.
    await expect.poll(() => screen(page)).toContain(`pid-a:${pid}`);
    await typeLine(page, 'echo "pid-b:$$"');
    expect(await printed(page, "pid-b")).toBe(pid);
  });

  test("a token request completes in normal time while the terminal is flooded", async ({ session }) => {
    const { page, endpointUrl } = session;
    await terminalReady(page);
    const warm = await curlToken(endpointUrl, "https://graph.microsoft.com/");
    expect(warm.status).toBe(200);
    await typeLine(page, "yes | head -c 50000000; echo flood-$((6*7))");
    // Well into the flood (the screen is full of "y" rows), ask for a token that is not cached: it must cross the relay.
    await expect.poll(async () => ((await screen(page)).match(/^y$/gm) ?? []).length, { intervals: [50] }).toBeGreaterThan(10);
    const during = await curlToken(endpointUrl, "https://management.azure.com/");
    expect(during.status).toBe(200);
    await expect.poll(() => screen(page), { timeout: 120_000 }).toMatch(/^flood-42$/m);
    console.info(`[terminal flood] token request during a 50 MB flood: ${during.ms.toFixed(0)} ms (no flood, another resource: ${warm.ms.toFixed(0)} ms)`);
    expect(during.ms).toBeLessThan(3_000);
  });

  test("a browser gone for longer than the grace period ends the session and terminates the shell", async ({ page }) => {
    const stack = await startStack({ endpointPort: 0, logLevel: "warn", endpointEnv: { AUTHBRIDGE_TERMINAL_GRACE_MS: "3000" } });
    try {
      const user = stack.users[0];
      if (user === undefined) throw new Error("no demo user");
      await signInThroughPortal(page, stack, user);
      await terminalReady(page);
      await typeLine(page, 'echo "pid:$$"');
      const pid = Number(await printed(page, "pid"));
      expect(await stack.relay.sessionCount()).toBe(1);
      const alive = () => {
        try {
          process.kill(pid, 0);
          return true;
        } catch {
          return false;
        }
      };
      expect(alive()).toBe(true);
      await page.close();
      // Still there within the grace period…
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(alive()).toBe(true);
      // …then the shell is terminated, the endpoint stops and the relay ends the session.
      await expect.poll(alive, { timeout: 15_000 }).toBe(false);
      await expect.poll(() => stack.relay.sessionCount(), { timeout: 15_000 }).toBe(0);
    } finally {
      await stack.close();
    }
  });
});
