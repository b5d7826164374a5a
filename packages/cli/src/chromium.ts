import { existsSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import type { TestUser } from "@authbridge/aad-emulator";
import type { Stack } from "./stack.js";

/** Debian's Chromium; override with AUTHBRIDGE_CHROMIUM. Playwright never downloads a browser here. */
export function chromiumPath(): string {
  return process.env.AUTHBRIDGE_CHROMIUM ?? "/usr/bin/chromium";
}

/** Flags that keep Chromium from calling Google on a machine with no internet. */
export const CHROMIUM_ARGS: readonly string[] = [
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  "--no-first-run",
];

export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) {
    throw new Error(`Chromium not found at ${executablePath}. Run \`npm run demo\` (it installs Debian's chromium) or set AUTHBRIDGE_CHROMIUM.`);
  }
  return chromium.launch({ executablePath, args: [...CHROMIUM_ARGS] });
}

export interface SignInOptions {
  timeoutMs?: number;
}

/**
 * Drives the portal as a person would: Sign in → the emulator's login page →
 * back to the portal, then waits until the console iframe reports that the
 * container's endpoint is attached.
 */
export async function signInThroughPortal(page: Page, stack: Stack, user: TestUser, options: SignInOptions = {}): Promise<{ endpointUrl: string }> {
  const timeout = options.timeoutMs ?? 30_000;
  await page.goto(stack.portal.url);
  await page.locator("#sign-in").click({ timeout });
  await page.waitForURL((url) => url.origin === new URL(stack.emulator.url).origin, { timeout });
  await page.locator('input[name="username"]').fill(user.username, { timeout });
  await page.locator('input[name="password"]').fill(user.password, { timeout });
  await page.getByRole("button", { name: "Sign in" }).click({ timeout });
  await page.waitForURL((url) => url.origin === stack.portal.origin, { timeout });
  await waitForConsoleReady(page, timeout);
  const endpointUrl = (await page.locator('[data-testid="endpoint-url"]').getAttribute("data-url", { timeout })) ?? "";
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(endpointUrl)) throw new Error(`the portal shows no endpoint URL (got "${endpointUrl}")`);
  return { endpointUrl };
}

export async function waitForConsoleReady(page: Page, timeout = 30_000): Promise<void> {
  await page.frameLocator("#console").locator('[data-testid="status"][data-state="ready"]').waitFor({ timeout });
}
