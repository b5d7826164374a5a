import { decodeTerminalFrame, encodeTerminalFrame, TERMINAL_WINDOW_BYTES } from "@authbridge/protocol";
import { performance } from "node:perf_hooks";
import { afterEach, describe, expect, it } from "vitest";
import type { WebSocket } from "ws";
import { startEndpoint, type Endpoint } from "../../src/index.js";
import { startFakeRelay, okResponse, type FakeRelay } from "../helpers/fake-relay.js";
import { tokenPost } from "../helpers/http-client.js";
import { captureLogs } from "../helpers/log-capture.js";

const AGENT_TOKEN = "agent-token-never-in-the-shell";

/** The browser's half of the terminal, speaking to the endpoint through the fake relay's socket. */
class FakeTerminalBrowser {
  output = "";
  received = 0;
  acked = 0;
  exitCode: number | undefined;
  /** Largest number of bytes received and not yet acknowledged. */
  peakUnacked = 0;
  autoAck = true;

  constructor(private readonly ws: WebSocket) {
    ws.on("message", (data, isBinary) => {
      if (!isBinary || !Buffer.isBuffer(data)) return;
      const parsed = decodeTerminalFrame(data);
      if (!parsed.ok) throw new Error("invalid terminal frame from the endpoint");
      const frame = parsed.value;
      if (frame.kind === "exit") this.exitCode = frame.code;
      if (frame.kind !== "data") return;
      this.received += frame.data.byteLength;
      this.peakUnacked = Math.max(this.peakUnacked, this.received - this.acked);
      if (this.output.length < 1_000_000) this.output += Buffer.from(frame.data).toString("utf8");
      else this.output = this.output.slice(-100_000) + Buffer.from(frame.data).toString("utf8");
      if (this.autoAck) this.ack(this.received - this.acked);
    });
  }
  send(frame: Parameters<typeof encodeTerminalFrame>[0]): void {
    this.ws.send(encodeTerminalFrame(frame), { binary: true });
  }
  type(text: string): void {
    this.send({ kind: "data", data: new TextEncoder().encode(text) });
  }
  ack(bytes: number): void {
    if (bytes <= 0) return;
    this.acked += bytes;
    this.send({ kind: "ack", bytes });
  }
  async waitFor(pattern: RegExp, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(this.output)) {
      if (Date.now() > deadline) throw new Error(`the terminal never showed ${String(pattern)}; it shows ${JSON.stringify(this.output.slice(-300))}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return this.output;
  }
}

describe("a login shell in a PTY behind the endpoint (real bash, real node-pty)", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setUp(): Promise<{ relay: FakeRelay; endpoint: Endpoint; browser: FakeTerminalBrowser; exits: number[] }> {
    const relay = await startFakeRelay({
      answer: (request) => okResponse(request, { accessToken: "eyJ.flood.test", expiresOn: Math.floor(Date.now() / 1000) + 3600 }),
    });
    cleanups.push(() => relay.close());
    const exits: number[] = [];
    const logs = captureLogs();
    const endpoint = await startEndpoint({
      port: 0,
      relayUrl: relay.url,
      sessionId: "session-1",
      agentToken: AGENT_TOKEN,
      logger: logs.logger,
      terminal: {
        cwd: "/tmp",
        args: ["--noprofile", "--norc", "-i"],
        baseEnv: { ...process.env, AUTHBRIDGE_AGENT_TOKEN: AGENT_TOKEN, AUTHBRIDGE_OTHER: "x", PS1: "$ " },
        onShellExit: (code) => exits.push(code),
      },
    });
    cleanups.push(() => endpoint.close());
    await expect.poll(() => relay.agent()).toBeDefined();
    const ws = relay.agent();
    if (ws === undefined) throw new Error("no agent");
    const browser = new FakeTerminalBrowser(ws);
    browser.send({ kind: "resize", cols: 132, rows: 43 });
    await browser.waitFor(/\$ $/);
    return { relay, endpoint, browser, exits };
  }

  it("has the Cloud Shell environment, the session's directory and size, and not the agent token", { timeout: 30_000 }, async () => {
    const { browser, exits } = await setUp();
    browser.type("echo \"[$MSI_ENDPOINT|$ACC_CLOUD|$AZUREPS_HOST_ENVIRONMENT|$TERM|$PWD|$(stty size)|$(env | grep -c AUTHBRIDGE_)]\"\r");
    const output = await browser.waitFor(/\[http[^\]]*\]/);
    const port = /localhost:(\d+)/.exec(output)?.[1];
    expect(output).toContain(`[http://localhost:${port}/oauth2/token|authbridge|cloud-shell/1.0|xterm-256color|/tmp|43 132|0]`);
    expect(output).not.toContain(AGENT_TOKEN);
    browser.type("exit 7\r");
    await expect.poll(() => exits).toEqual([7]);
    await expect.poll(() => browser.exitCode).toBe(7);
  });

  it("answers a token request in normal time while 50 MB flood the terminal, and bounds what is in flight", { timeout: 90_000 }, async () => {
    const { endpoint, browser } = await setUp();
    const before = process.memoryUsage().rss;
    const started = performance.now();
    browser.type("yes | head -c 50000000; echo flood-$((6*7))\r");
    await expect.poll(() => browser.received, { timeout: 10_000 }).toBeGreaterThan(5_000_000);
    // Cache misses (a new resource each) so every one crosses the relay socket the flood is using.
    const latencies: number[] = [];
    for (const resource of ["https://management.azure.com/", "https://graph.microsoft.com/", "https://vault.azure.net"]) {
      const t0 = performance.now();
      const reply = await tokenPost(endpoint.port, `resource=${resource}`);
      latencies.push(performance.now() - t0);
      expect(reply.status).toBe(200);
    }
    await browser.waitFor(/flood-42/, 60_000);
    const floodMs = performance.now() - started;
    const stats = endpoint.terminalStats();
    console.info(
      `[flood] 50 MB in ${floodMs.toFixed(0)} ms; token requests during it: ${latencies.map((ms) => ms.toFixed(1)).join(", ")} ms; ` +
        `peak in flight ${stats?.peakInFlight ?? -1} B; rss +${((process.memoryUsage().rss - before) / 1e6).toFixed(1)} MB`,
    );
    expect(browser.received).toBeGreaterThanOrEqual(50_000_000);
    for (const ms of latencies) expect(ms).toBeLessThan(500);
    expect(stats?.peakInFlight ?? Infinity).toBeLessThan(TERMINAL_WINDOW_BYTES + 2 * 1024 * 1024);
  });

  it("with a browser that stops acknowledging, the shell is paused and nothing piles up", { timeout: 90_000 }, async () => {
    const { endpoint, browser } = await setUp();
    browser.autoAck = false;
    browser.ack(browser.received - browser.acked);
    const rssBefore = process.memoryUsage().rss;
    browser.type("yes | head -c 50000000; echo flood-$((6*7))\r");
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const stalled = browser.received;
    const rssGrowth = process.memoryUsage().rss - rssBefore;
    const stats = endpoint.terminalStats();
    expect(stats?.paused).toBe(true);
    expect(browser.received - browser.acked).toBeLessThanOrEqual(TERMINAL_WINDOW_BYTES + 16 * 1024);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(browser.received).toBe(stalled);
    const t0 = performance.now();
    expect((await tokenPost(endpoint.port, "resource=https://management.azure.com/")).status).toBe(200);
    const tokenMs = performance.now() - t0;
    console.info(
      `[slow browser] stalled at ${stalled} B received, ${browser.received - browser.acked} B unacknowledged; ` +
        `rss ${rssGrowth >= 0 ? "+" : ""}${(rssGrowth / 1e6).toFixed(1)} MB; token request ${tokenMs.toFixed(1)} ms`,
    );
    expect(rssGrowth).toBeLessThan(64 * 1024 * 1024);
    expect(tokenMs).toBeLessThan(500);
    // Acknowledge again: the flood resumes and completes.
    browser.autoAck = true;
    browser.ack(browser.received - browser.acked);
    await browser.waitFor(/flood-42/, 60_000);
  });
});
