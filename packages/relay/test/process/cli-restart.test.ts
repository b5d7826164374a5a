import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { spawnCli, type Spawned } from "../../../../test-support/spawned.js";
import { digestSecret } from "../../src/auth/secret.js";
import { AUDIENCE, ISSUER, startTestAuthority, type TestAuthority } from "../helpers/authority.js";
import { FrameSocket, refusedUpgrade } from "../helpers/frame-socket.js";
import { anyString } from "../helpers/matchers.js";
import { browserProtocols, CONSOLE_ORIGIN, CONSOLE_URL, PORTAL_ORIGIN } from "../helpers/relay.js";

/**
 * The built relay CLI with a state file, killed with SIGKILL mid-session and
 * started again on the same port and file: the session survives the crash,
 * and a graceful stop after it keeps it in the file.
 */
const CLI = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));
const CA_FILE = fileURLToPath(new URL("../fixtures/tls/localhost-cert.pem", import.meta.url));
const RESOURCE = "https://management.azure.com/";

let dir: string;
let authority: TestAuthority;
const processes: Spawned[] = [];
const sockets: FrameSocket[] = [];
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "relay-restart-"));
  authority = await startTestAuthority();
});
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.ws.terminate();
  for (const spawned of processes.splice(0)) if (spawned.child.exitCode === null && spawned.child.signalCode === null) spawned.child.kill("SIGKILL");
  await authority.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Starts the relay CLI with the external launcher (launch contexts on stdout) and resolves with its URL once it listens. */
async function startCli(port: number): Promise<{ spawned: Spawned; url: string }> {
  const spawned = spawnCli(CLI, [], {
    AUTHBRIDGE_RELAY_PORT: String(port),
    AUTHBRIDGE_ISSUER: ISSUER,
    AUTHBRIDGE_AUDIENCE: AUDIENCE,
    AUTHBRIDGE_JWKS_URI: authority.jwksUri,
    AUTHBRIDGE_JWKS_CA_FILE: CA_FILE,
    AUTHBRIDGE_CONSOLE_URL: CONSOLE_URL,
    AUTHBRIDGE_CORS_ORIGINS: PORTAL_ORIGIN,
    AUTHBRIDGE_LAUNCHER: "external",
    AUTHBRIDGE_RELAY_STATE_FILE: join(dir, "sessions.json"),
  });
  processes.push(spawned);
  const line = await spawned.waitFor(/"url":"http:\/\/127\.0\.0\.1:\d+"/);
  return { spawned, url: line.slice('"url":"'.length, -1) };
}

async function post(url: string, token: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, { method: "POST", headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: await response.json() };
}

function field(body: unknown, name: string): string {
  const value: unknown = typeof body === "object" && body !== null ? Reflect.get(body, name) : undefined;
  if (typeof value !== "string") throw new Error(`${name} missing in ${JSON.stringify(body)}`);
  return value;
}

async function open(socket: Promise<FrameSocket>): Promise<FrameSocket> {
  const opened = await socket;
  sockets.push(opened);
  return opened;
}

describe("the relay process with a state file", () => {
  it("takes its sessions back after kill -9: the agent's old token is welcomed, the owner's browser attaches and a token round trip works", { timeout: 30_000 }, async () => {
    const first = await startCli(0);
    const port = Number(new URL(first.url).port);
    const userToken = await authority.sign();
    const created = await post(`${first.url}/api/sessions`, userToken);
    expect(created.status).toBe(201);
    const sessionId = field(created.body, "sessionId");
    const launch: unknown = JSON.parse(await first.spawned.waitFor(/\{"sessionId":"[^"]+","relayAgentUrl":"[^"]+","agentToken":"[^"]+"\}/));
    const agentToken = field(launch, "agentToken");
    const agentUrl = field(launch, "relayAgentUrl");
    const agentHeaders = { authorization: `Bearer ${agentToken}`, "x-authbridge-session": sessionId };
    const before = await open(FrameSocket.open(agentUrl, [], { headers: agentHeaders }));
    before.hello("agent");
    expect(await before.next()).toMatchObject({ type: "welcome", sessionId });

    first.spawned.child.kill("SIGKILL");
    expect((await first.spawned.exited()).signal).toBe("SIGKILL");
    expect((await before.waitClosed()).code).toBe(1006);
    const state = readFileSync(join(dir, "sessions.json"), "utf8");
    expect(state).toContain(digestSecret(agentToken).toString("base64url"));
    expect(state).not.toContain(agentToken);

    const second = await startCli(port);
    expect(second.url).toBe(first.url);
    await second.spawned.waitFor(/"sessions":1,"msg":"sessions restored from the state file"/);

    const agent = await open(FrameSocket.open(agentUrl, [], { headers: agentHeaders }));
    agent.hello("agent");
    expect(await agent.next()).toEqual({ v: 1, type: "welcome", sessionId, peer: false });
    const minted = await post(`${second.url}/api/sessions/${sessionId}/tickets`, userToken);
    expect(minted.status).toBe(201);
    const browser = await open(FrameSocket.open(`ws://127.0.0.1:${port}/ws/browser`, browserProtocols(field(minted.body, "ticket")), { origin: CONSOLE_ORIGIN }));
    browser.hello("browser");
    expect(await browser.next()).toEqual({ v: 1, type: "welcome", sessionId, peer: true });
    expect(await agent.next()).toEqual({ v: 1, type: "peer", state: "connected" });

    const request = { v: 1, type: "token.request", id: "after-restart", resource: RESOURCE, deadline: Date.now() + 30_000 };
    agent.send(request);
    expect(await browser.next()).toEqual(request);
    const response = { v: 1, type: "token.response", id: "after-restart", ok: true, token: { accessToken: "access", expiresOn: 1_900_000_000, tokenType: "Bearer", resource: RESOURCE } };
    browser.send(response);
    expect(await agent.next()).toEqual(response);

    expect(await post(`${second.url}/api/sessions/${sessionId}/tickets`, await authority.sign({ oid: "user-b" }))).toEqual({
      status: 404,
      body: { error: { code: "SessionNotFound", message: anyString } },
    });
    expect(await refusedUpgrade(agentUrl, [], { headers: { ...agentHeaders, authorization: `Bearer ${agentToken.slice(1)}` } })).toEqual({
      status: 401,
      body: { error: { code: "Unauthorized", message: anyString } },
    });

    // A graceful stop leaves the external launcher's session in the file for the next relay.
    second.spawned.child.kill("SIGTERM");
    expect((await second.spawned.exited()).code).toBe(0);
    expect(await agent.waitClosed()).toEqual({ code: 1001, reason: "relay shutting down" });
    expect(readFileSync(join(dir, "sessions.json"), "utf8")).toContain(sessionId);
  });
});
