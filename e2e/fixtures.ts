import { spawn } from "node:child_process";
import { test as base, expect, type Page } from "@playwright/test";
import { JWT_PATTERN, signInThroughPortal, startStack, type Stack } from "@authbridge/cli";

export { expect };

export interface CurlResult {
  status: number;
  body: string;
  json: unknown;
  ms: number;
}

/** POSTs `resource=…` with `Metadata: true` to a token endpoint using the real curl. */
export function curlToken(endpointUrl: string, resource: string, extraArgs: string[] = []): Promise<CurlResult> {
  return curl([`${endpointUrl}/oauth2/token`, "--data", `resource=${resource}`, "-H", "Metadata:true", ...extraArgs]);
}

export function curl(args: string[], timeoutMs = 60_000): Promise<CurlResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn("curl", ["-s", "-w", "\n%{http_code}", "--max-time", String(timeoutMs / 1000), ...args], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
    child.on("error", reject);
    child.on("close", () => {
      const cut = out.lastIndexOf("\n");
      const body = out.slice(0, cut);
      let json: unknown = undefined;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      resolve({ status: Number(out.slice(cut + 1)), body, json, ms: performance.now() - started });
    });
  });
}

export function decodeClaims(token: string): Record<string, unknown> {
  const payload = token.split(".")[1] ?? "";
  const claims: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  if (typeof claims !== "object" || claims === null) throw new Error("not a JWT payload");
  return Object.fromEntries(Object.entries(claims));
}

export interface SignedInSession {
  page: Page;
  endpointUrl: string;
}

interface WorkerFixtures {
  stack: Stack;
}
interface TestFixtures {
  session: SignedInSession;
  browserMessages: string[];
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  stack: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      // Quiet logs here; the demo test runs the whole stack at debug level and checks its logs hold no token.
      // The App Service dialect is on (opt-in) so the compat suite can test it; no other test sends its header.
      const stack = await startStack({ endpointPort: 0, logLevel: "warn", appService: true, relay: { maxSessionsPerUser: 100 } });
      await use(stack);
      await stack.close();
    },
    { scope: "worker", timeout: 60_000 },
  ],

  browserMessages: async ({ page }, use) => {
    const messages: string[] = [];
    page.on("console", (message) => messages.push(message.text()));
    page.on("popup", (popup) => popup.on("console", (message) => messages.push(message.text())));
    await use(messages);
    // No token may ever reach the browser's console.
    expect(messages.filter((text) => JWT_PATTERN.test(text))).toEqual([]);
  },

  session: async ({ page, stack, browserMessages: _messages }, use) => {
    stack.emulator.faults.reset();
    stack.emulator.resetStats();
    const user = stack.users[0];
    if (user === undefined) throw new Error("no demo user");
    const { endpointUrl } = await signInThroughPortal(page, stack, user);
    await use({ page, endpointUrl });
    // End the session as a person would, so its endpoint process does not linger for the rest of the run.
    if (!page.isClosed()) {
      await page
        .locator("#end-session")
        .click({ timeout: 5_000 })
        .then(() => expect(page.locator('[data-testid="session-state"]')).toHaveAttribute("data-state", "ended"))
        .catch(() => undefined);
    }
  },
});

/** The portal's activity list: one entry per token request the browser answered. */
export function activity(page: Page) {
  return page.locator('[data-testid="activity"] li');
}
