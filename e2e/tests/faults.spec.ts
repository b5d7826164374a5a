import { readdir, readFile, readlink, rm } from "node:fs/promises";
import { createServer, connect, type Server, type Socket } from "node:net";
import { freePort, signInThroughPortal, startStack, type RelayProcess, type Stack } from "@authbridge/cli";
import type { Page } from "@playwright/test";
import { activity, curlToken, expect, test, type CurlResult } from "../fixtures.js";

/**
 * Fault injection through the real chain. Each case injects one fault, checks
 * that every HTTP request was answered within its deadline, and that the same
 * stack (no restart) serves tokens again afterwards. Prints
 * `[figures] faults injected: N, requests: M, unanswered: 0, failures: F`.
 *
 * Own stack: a short browser deadline (so "within the deadline" is quick to
 * prove), a fixed endpoint port (so a restarted endpoint comes back where
 * clients expect it), a TCP proxy between the console and the relay (so the
 * test can cut the console's socket), and the relay as its own process with
 * a state file (so the test can kill it and start it again).
 */
const REQUEST_TIMEOUT_MS = 6_000;
/** The endpoint's deadline plus curl, process and scheduling slack on a shared 2-core machine. */
const ANSWER_WITHIN_MS = REQUEST_TIMEOUT_MS + 3_000;
const ARM = "https://management.azure.com/";

let faults = 0;
let requests = 0;
let unanswered = 0;
let tried = 0;
let passed = 0;

test.describe.configure({ mode: "serial" });

interface Proxy {
  port: number;
  target: number;
  /** Destroys every proxied connection, as a network drop would. */
  drop(): number;
  close(): Promise<void>;
}

async function startProxy(): Promise<Proxy> {
  const sockets = new Set<Socket>();
  const proxy: Proxy = { port: 0, target: 0, drop: () => 0, close: () => Promise.resolve() };
  const server: Server = createServer((client) => {
    const upstream = connect(proxy.target, "127.0.0.1");
    for (const [socket, peer] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      sockets.add(socket);
      socket.on("error", () => socket.destroy());
      // Either side gone (a reset included) takes the other with it, as a dead relay's socket would.
      socket.on("close", () => {
        sockets.delete(socket);
        peer.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("proxy not listening");
  proxy.port = address.port;
  proxy.drop = () => {
    const count = sockets.size;
    for (const socket of sockets) socket.destroy();
    return count;
  };
  proxy.close = () =>
    new Promise<void>((resolve) => {
      proxy.drop();
      server.close(() => resolve());
    });
  return proxy;
}

/** The pid of the process listening on a loopback TCP port (Linux /proc). */
async function pidListeningOn(port: number): Promise<number | undefined> {
  const table = await readFile("/proc/net/tcp", "utf8");
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  const inode = table
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .find((fields) => fields[1]?.endsWith(`:${hexPort}`) === true && fields[3] === "0A")?.[9];
  if (inode === undefined) return undefined;
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const fds = await readdir(`/proc/${entry}/fd`).catch(() => []);
    for (const fd of fds) {
      if ((await readlink(`/proc/${entry}/fd/${fd}`).catch(() => "")) === `socket:[${inode}]`) return Number(entry);
    }
  }
  return undefined;
}

let stack: Stack;
let relayProcess: RelayProcess;
let proxy: Proxy;
let endpointPort: number;

test.beforeAll(async () => {
  test.setTimeout(60_000);
  proxy = await startProxy();
  endpointPort = await freePort();
  stack = await startStack({
    endpointPort,
    logLevel: "warn",
    browserRelayWsUrl: `ws://127.0.0.1:${proxy.port}`,
    endpointEnv: { AUTHBRIDGE_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) },
    relayProcess: true,
  });
  if (stack.relayProcess === undefined) throw new Error("the stack has no relay process");
  relayProcess = stack.relayProcess;
  proxy.target = stack.relay.port;
});

// The endpoint port is fixed: end each test's session and wait until its endpoint has let the port go.
test.afterEach(async ({ page }) => {
  if (!page.isClosed()) {
    await page
      .locator("#end-session")
      .click({ timeout: 5_000 })
      .catch(() => undefined);
  }
  await page.close();
  await expect.poll(() => pidListeningOn(endpointPort), { timeout: 20_000 }).toBeUndefined();
});

test.afterAll(async () => {
  await stack.close();
  await proxy.close();
  console.log(`[figures] faults injected: ${faults}, requests: ${requests}, unanswered: ${unanswered}, failures: ${tried - passed}`);
});

/** One token request; counts it, and fails unless it was answered within the deadline. */
async function request(endpointUrl: string, resource: string): Promise<CurlResult> {
  requests++;
  const result = await curlToken(endpointUrl, resource);
  if (result.status === 0 && result.ms >= ANSWER_WITHIN_MS) unanswered++;
  expect(result.ms, `answered within ${ANSWER_WITHIN_MS} ms`).toBeLessThan(ANSWER_WITHIN_MS);
  return result;
}

function errorCode(result: CurlResult): unknown {
  const body = result.json;
  return typeof body === "object" && body !== null && "error" in body && typeof body.error === "object" && body.error !== null && "code" in body.error ? body.error.code : undefined;
}

async function fault(name: string, body: () => Promise<void>): Promise<void> {
  tried++;
  faults++;
  await test.step(name, body);
  passed++;
}

async function signIn(page: Page): Promise<string> {
  stack.emulator.faults.reset();
  const user = stack.users[0];
  if (user === undefined) throw new Error("no demo user");
  return (await signInThroughPortal(page, stack, user)).endpointUrl;
}

test("AAD slow, failing with 5xx, refusing, then healthy: every request answered, no restart", async ({ page }) => {
  const endpointUrl = await signIn(page);

  await fault("AAD answers after 2 s", async () => {
    stack.emulator.faults.set({ delayMs: 2_000 });
    const slow = await request(endpointUrl, ARM);
    expect(slow.status).toBe(200);
    expect(slow.ms).toBeGreaterThanOrEqual(1_900);
  });

  for (const [status, resource, other] of [
    [500, "https://graph.microsoft.com/", "https://outlook.office365.com/"],
    [503, "https://graph.windows.net/", "https://datalake.azure.net/"],
  ] as const) {
    await fault(`AAD answers ${status}`, async () => {
      stack.emulator.faults.set({ failStatus: status });
      const failed = await request(endpointUrl, resource);
      expect([failed.status, errorCode(failed)]).toEqual([503, "AadUnavailable"]);
      // The token cached before the outage is still served during it.
      expect((await request(endpointUrl, ARM)).status).toBe(200);
      stack.emulator.faults.reset();
      // MSAL holds the failed resource for 60 s (its throttle); meanwhile it still reads as an outage, never as a refusal.
      const held = await request(endpointUrl, resource);
      if (held.status !== 200) expect([held.status, errorCode(held)]).toEqual([503, "AadUnavailable"]);
      // Recovery without a restart: every other audience is served at once.
      expect((await request(endpointUrl, other)).status).toBe(200);
    });
  }

  await fault("AAD refuses a resource, then accepts it", async () => {
    stack.emulator.faults.set({ refuseResources: ["https://storage.azure.com/"] });
    const refused = await request(endpointUrl, "https://storage.azure.com/");
    expect([refused.status, errorCode(refused)]).toEqual([400, "invalid_resource"]);
    stack.emulator.faults.reset();
    expect((await request(endpointUrl, "https://storage.azure.com/")).status).toBe(200);
  });

  await fault("AAD slower than the deadline", async () => {
    stack.emulator.faults.set({ delayMs: REQUEST_TIMEOUT_MS + 2_000 });
    const late = await request(endpointUrl, "https://vault.azure.net");
    expect([late.status, errorCode(late)]).toEqual([504, "Timeout"]);
    stack.emulator.faults.reset();
    // The browser's late answer may land in the cache; either way the next request is served.
    await expect.poll(async () => (await request(endpointUrl, "https://vault.azure.net")).status, { timeout: 20_000 }).toBe(200);
  });
});

test("AAD demanding interaction nobody gives: the request ends at its deadline, and approving later works", async ({ page }) => {
  const endpointUrl = await signIn(page);
  await fault("interaction required, no click", async () => {
    const resource = "https://batch.core.windows.net/";
    stack.emulator.faults.set({ interactionRequired: [resource] });
    const waiting = await request(endpointUrl, resource);
    expect(waiting.status).toBeGreaterThanOrEqual(400);
    expect(["Timeout", "InteractionRequired"]).toContain(errorCode(waiting));
    stack.emulator.faults.reset();
    expect((await request(endpointUrl, ARM)).status).toBe(200);
  });
});

test("the tab reloaded mid-request: answered, and the reloaded tab serves the same endpoint", async ({ page }) => {
  const endpointUrl = await signIn(page);
  await fault("tab reload", async () => {
    stack.emulator.faults.set({ delayMs: 3_000 });
    const pending = request(endpointUrl, ARM);
    await expect(page.frameLocator("#console").locator('[data-testid="requests"] li[data-outcome="pending"]')).toHaveCount(1);
    await page.reload();
    const cut = await pending;
    expect([cut.status, errorCode(cut)]).toEqual([503, "BrowserDisconnected"]);
    stack.emulator.faults.reset();
    await expect(page.frameLocator("#console").locator('[data-testid="status"][data-state="ready"]')).toBeVisible({ timeout: 20_000 });
    await expect.poll(async () => (await request(endpointUrl, ARM)).status, { timeout: 20_000 }).toBe(200);
  });
});

test("the console's socket to the relay dropped: the request is answered and the console reconnects", async ({ page }) => {
  const endpointUrl = await signIn(page);
  await fault("network drop console ⇄ relay", async () => {
    stack.emulator.faults.set({ delayMs: 3_000 });
    const pending = request(endpointUrl, ARM);
    await expect(page.frameLocator("#console").locator('[data-testid="requests"] li[data-outcome="pending"]')).toHaveCount(1);
    expect(proxy.drop()).toBeGreaterThan(0);
    const cut = await pending;
    expect([cut.status, errorCode(cut)]).toEqual([503, "BrowserDisconnected"]);
    stack.emulator.faults.reset();
    await expect.poll(async () => (await request(endpointUrl, ARM)).status, { timeout: 30_000, intervals: [1_000] }).toBe(200);
    await expect(activity(page).last()).toHaveAttribute("data-outcome", "ok");
  });
});

test("the endpoint process killed: clients retrying get tokens again from the same port", async ({ page }) => {
  const endpointUrl = await signIn(page);
  await fault("endpoint process killed", async () => {
    expect((await request(endpointUrl, ARM)).status).toBe(200);
    const pid = await pidListeningOn(endpointPort);
    expect(pid).toBeGreaterThan(0);
    process.kill(pid ?? 0, "SIGKILL");
    // Every attempt while it is down is answered at once (connection refused), never hangs.
    const down = await request(endpointUrl, ARM);
    expect(down.status).toBe(0);
    // The relay ends the session when its endpoint dies; the console says so, and the user starts a new one.
    await expect(page.frameLocator("#console").locator('[data-testid="status"]')).toHaveAttribute("data-state", "ended", { timeout: 20_000 });
    await page.locator("#end-session").click();
    await expect(page.locator('[data-testid="session-state"]')).toHaveAttribute("data-state", "ended", { timeout: 20_000 });
    await page.locator("#start-session").click();
    await expect(page.frameLocator("#console").locator('[data-testid="status"][data-state="ready"]')).toBeVisible({ timeout: 30_000 });
    // A client retrying as az and azure-identity do gets a token from the same URL.
    await expect.poll(async () => (await request(endpointUrl, ARM)).status, { timeout: 30_000, intervals: [500] }).toBe(200);
  });
});

test("the relay killed (SIGKILL) and restarted mid-request: answered, and the same session and endpoint serve again", async ({ page }) => {
  const endpointUrl = await signIn(page);
  await fault("relay killed and restarted", async () => {
    expect((await request(endpointUrl, ARM)).status).toBe(200);
    const endpointPid = await pidListeningOn(endpointPort);
    const sessionId = await page.locator('[data-testid="session-state"]').getAttribute("data-session-id");
    stack.emulator.faults.set({ delayMs: 3_000 });
    const pending = request(endpointUrl, "https://vault.azure.net");
    await expect(page.frameLocator("#console").locator('[data-testid="requests"] li[data-outcome="pending"]')).toHaveCount(1);
    await relayProcess.kill("SIGKILL");
    const cut = await pending;
    expect([cut.status, errorCode(cut)]).toEqual([503, "RelayUnavailable"]);
    // While the relay is down: cached audiences are served, others are refused at once.
    expect((await request(endpointUrl, ARM)).status).toBe(200);
    const down = await request(endpointUrl, "https://storage.azure.com/");
    expect([down.status, errorCode(down)]).toEqual([503, "RelayUnavailable"]);
    stack.emulator.faults.reset();

    await relayProcess.start();
    // The restarted relay restores the session from its state file; the endpoint's agent and the console come back to it.
    await expect.poll(async () => (await request(endpointUrl, "https://storage.azure.com/")).status, { timeout: 30_000, intervals: [1_000] }).toBe(200);
    expect(await pidListeningOn(endpointPort)).toBe(endpointPid);
    expect(await stack.relay.sessionCount()).toBe(1);
    await expect(page.locator('[data-testid="session-state"]')).toHaveAttribute("data-session-id", sessionId ?? "");
    await expect(page.frameLocator("#console").locator('[data-testid="status"]')).toHaveAttribute("data-state", "ready");
  });
});

test("the relay killed and restarted without its state: the endpoint lets the port go, and a new session serves on it", async ({ page }) => {
  const endpointUrl = await signIn(page);
  await fault("relay killed, restarted with its state lost", async () => {
    expect((await request(endpointUrl, ARM)).status).toBe(200);
    const endpointPid = await pidListeningOn(endpointPort);
    await relayProcess.kill("SIGKILL");
    if (relayProcess.stateFile === undefined) throw new Error("the relay process has no state file");
    await rm(relayProcess.stateFile, { force: true });
    await relayProcess.start();
    // The restarted relay refuses the old agent (401): the endpoint exits at once instead of holding the port.
    await expect.poll(() => pidListeningOn(endpointPort), { timeout: 20_000 }).toBeUndefined();
    const gone = await request(endpointUrl, ARM);
    expect(gone.status).toBe(0);
    // The portal finds its session gone; the user starts a new one, which gets the same port.
    await expect(page.locator('[data-testid="session-state"]')).toHaveAttribute("data-state", "ended", { timeout: 30_000 });
    await page.locator("#start-session").click();
    await expect(page.frameLocator("#console").locator('[data-testid="status"][data-state="ready"]')).toBeVisible({ timeout: 30_000 });
    await expect.poll(async () => (await request(endpointUrl, ARM)).status, { timeout: 30_000, intervals: [500] }).toBe(200);
    expect(await pidListeningOn(endpointPort)).not.toBe(endpointPid);
  });
});
