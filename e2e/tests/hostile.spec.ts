import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { JWT_PATTERN, signInThroughPortal } from "@authbridge/cli";
import type { Page } from "@playwright/test";
import { activity, curlToken, expect, test } from "../fixtures.js";

/**
 * postMessage attacks in real Chromium: a hostile page served by the test on
 * another origin, forged, foreign and replayed envelopes. Each case asserts
 * that nothing was accepted and that no token reached the attacker.
 * Prints `[figures] e2e postMessage attack cases: N, failures: F`.
 */
const ARM = "https://management.azure.com/";
let tried = 0;
let passed = 0;
test.afterAll(() => {
  console.log(`[figures] e2e postMessage attack cases: ${tried}, failures: ${tried - passed}`);
});
async function attack(body: () => Promise<void>): Promise<void> {
  tried++;
  await body();
  passed++;
}

interface Hostile {
  origin: string;
  /** Every WebSocket connection the attacker's relay stand-in received. */
  wsConnections: number;
  close(): Promise<void>;
}

/** The attacker's site: one page that records every message it receives, and a fake relay. */
async function startHostileSite(body: string): Promise<Hostile> {
  const html = `<!doctype html><meta charset="utf-8"><title>hostile</title>
<script>window.received = []; addEventListener("message", (e) => window.received.push(JSON.stringify({ origin: e.origin, data: e.data })));</script>${body}`;
  const server: Server = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html));
  const hostile: Hostile = {
    origin: "",
    wsConnections: 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  // The attacker's relay stand-in: counts upgrade attempts (a console lured here would make one).
  server.on("upgrade", (_req, socket) => {
    hostile.wsConnections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  hostile.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return hostile;
}

async function received(page: Page): Promise<string[]> {
  const list: unknown = await page.evaluate("window.received");
  return Array.isArray(list) ? list.map(String) : [];
}

async function ignoredCount(page: Page, selector: string): Promise<number> {
  return Number((await page.locator(selector).getAttribute("data-ignored")) ?? "NaN");
}

/** Runs `code` in the page; e2e has no DOM types, so browser code travels as text. */
async function inPage(page: Page, code: string): Promise<void> {
  await page.evaluate(code);
}

test.describe("a hostile page gets no token", () => {
  test("cannot frame the console or the portal (CSP frame-ancestors)", async ({ page, stack }) => {
    const hostile = await startHostileSite(`<iframe id="console" src="${stack.console.url}"></iframe><iframe id="portal" src="${stack.portal.url}"></iframe>`);
    try {
      await attack(async () => {
        const blocked: string[] = [];
        page.on("console", (message) => {
          if (/frame-ancestors/.test(message.text())) blocked.push(message.text());
        });
        await page.goto(hostile.origin);
        // Chromium reports each refusal on the console and leaves the frames without the app.
        await expect.poll(() => blocked.length).toBe(2);
        for (const frame of page.frames().filter((candidate) => candidate !== page.mainFrame())) {
          expect(await frame.locator('[data-testid="status"], [data-testid="session-state"]').count()).toBe(0);
        }
        expect(await received(page)).toEqual([]);
        expect(hostile.wsConnections).toBe(0);
      });
    } finally {
      await hostile.close();
    }
  });

  test("that opens the portal cannot drive it or its console, and learns no token", async ({ page, stack, browserMessages: _messages }) => {
    const hostile = await startHostileSite(`<button id="open">open</button>`);
    try {
      await page.goto(hostile.origin);
      const popupPromise = page.waitForEvent("popup");
      await inPage(page, `window.portal = window.open(${JSON.stringify(stack.portal.url)}, "portal")`);
      const portal = await popupPromise;
      const user = stack.users[0];
      if (user === undefined) throw new Error("no demo user");
      stack.emulator.faults.reset();
      stack.emulator.resetStats();
      const { endpointUrl } = await signInThroughPortal(portal, stack, user);
      const consoleInPortal = portal.frameLocator("#console");
      const portalIgnored = () => ignoredCount(portal, '[data-testid="session-state"]');
      const consoleIgnored = async () => Number((await consoleInPortal.locator('[data-testid="status"]').getAttribute("data-ignored")) ?? "NaN");
      const before = { portal: await portalIgnored(), console: await consoleIgnored() };

      const envelope = { channel: "authbridge", v: 1 };
      const deadline = Date.now() + 30_000;
      const forged: [string, "portal" | "console", unknown][] = [
        ["a token.request to the portal", "portal", { ...envelope, type: "token.request", id: "evil-1", resource: ARM, deadline }],
        ["a ready to the portal", "portal", { ...envelope, type: "ready" }],
        ["a malformed envelope to the portal", "portal", { channel: "authbridge", type: "token.request" }],
        ["a connect to the console pointing at the attacker's relay", "console", { ...envelope, type: "connect", relayUrl: hostile.origin.replace("http", "ws"), ticket: "AAAAAAAAAAAAAAAAAAAAAAAA" }],
        ["a token.response to the console", "console", { ...envelope, type: "token.response", id: "evil-2", ok: true, token: { accessToken: "forged", expiresOn: 1_900_000_000, tokenType: "Bearer", resource: ARM } }],
        ["a string to the console", "console", "hello"],
      ];
      for (const [name, target, message] of forged) {
        await attack(async () => {
          await inPage(page, `(${target === "portal" ? "window.portal" : "window.portal.frames[0]"}).postMessage(${JSON.stringify(message)}, "*")`);
          const counter = target === "portal" ? portalIgnored : consoleIgnored;
          await expect.poll(counter, { message: name }).toBe(before[target] + 1);
          before[target] += 1;
        });
      }

      await attack(async () => {
        // Nothing was asked of AAD, nothing reached the attacker, the attacker's relay saw no socket.
        // (The sign-in itself got a relay API token; no resource token was asked for.)
        expect(Object.keys(stack.emulator.stats().tokensIssued).filter((audience) => audience !== "api://authbridge-relay")).toEqual([]);
        await expect(activity(portal)).toHaveCount(0);
        expect(hostile.wsConnections).toBe(0);
        // The real chain still works, and the opener hears nothing of it.
        const result = await curlToken(endpointUrl, ARM);
        expect(result.status).toBe(200);
        await expect(activity(portal)).toHaveCount(1);
        const heard = await received(page);
        expect(heard.filter((text) => JWT_PATTERN.test(text) || text.includes("access_token") || text.includes("accessToken"))).toEqual([]);
        expect(heard).toEqual([]);
      });
    } finally {
      await hostile.close();
    }
  });
});

test.describe("messages inside the signed-in portal", () => {
  test("the portal's origin from another window, and replayed responses, are ignored by the console", async ({ session, stack }) => {
    const { page, endpointUrl } = session;
    const first = await curlToken(endpointUrl, ARM);
    expect(first.status).toBe(200);
    const status = page.frameLocator("#console").locator('[data-testid="status"]');
    const ignored = async () => Number((await status.getAttribute("data-ignored")) ?? "NaN");
    const requests = page.frameLocator("#console").locator('[data-testid="requests"] li');
    await expect(requests).toHaveCount(1);
    const answeredId = (await requests.first().getAttribute("data-id")) ?? "req-unknown";
    let expected = await ignored();
    const response = { channel: "authbridge", v: 1, type: "token.response", id: answeredId, ok: true, token: { accessToken: "replayed", expiresOn: 1_900_000_000, tokenType: "Bearer", resource: ARM } };

    await attack(async () => {
      // Right origin (a srcdoc iframe inherits the portal's), wrong window: the sibling's own script posts.
      const post = `parent.document.querySelector("#console").contentWindow.postMessage(${JSON.stringify(response)}, ${JSON.stringify(stack.console.origin)})`;
      await inPage(page, `{ const sibling = document.createElement("iframe"); sibling.srcdoc = ${JSON.stringify(`<script>${post}</script>`)}; document.body.append(sibling); }`);
      expected += 1;
      await expect.poll(ignored).toBe(expected);
    });

    await attack(async () => {
      // The right window replaying a response for a request already answered.
      for (let i = 0; i < 3; i++) {
        await inPage(page, `document.querySelector("#console").contentWindow.postMessage(${JSON.stringify(response)}, ${JSON.stringify(stack.console.origin)})`);
        expected += 1;
        await expect.poll(ignored).toBe(expected);
      }
      await expect(requests).toHaveCount(1);
      // The endpoint still serves its cached token, not the replayed one.
      const again = await curlToken(endpointUrl, ARM);
      expect((again.json as Record<string, unknown>).access_token).toBe((first.json as Record<string, unknown>).access_token);
    });
  });
});
