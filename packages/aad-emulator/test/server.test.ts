import { access, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { startEmulator } from "../src/server.js";
import { ALICE, ARM_SCOPE, redeemCode, refresh, signIn, startTestEmulator } from "./helpers/flow.js";
import { httpsRequest, jsonObject, stringField } from "./helpers/https-client.js";

const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

describe("startEmulator", () => {
  it("writes cert.pem into the given cert directory and keeps it after close", async () => {
    const dir = await mkdtemp(join(tmpdir(), "aad-emulator-server-test-"));
    try {
      const emulator = await startEmulator({ certDir: dir });
      expect(emulator.certPath).toBe(join(dir, "cert.pem"));
      expect(await readFile(emulator.certPath, "utf8")).toBe(emulator.certPem);
      await emulator.close();
      expect(await exists(emulator.certPath)).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("removes its own temp cert directory on close; close works unbound and twice", async () => {
    const emulator = await startEmulator();
    expect(await exists(emulator.certPath)).toBe(true);
    const { close } = emulator;
    await close();
    await close();
    expect(await exists(emulator.certPath)).toBe(false);
  });

  it("serves https on 127.0.0.1 as well as localhost with the same certificate", async () => {
    const emulator = await startEmulator();
    try {
      const viaIp = await httpsRequest({ url: `https://127.0.0.1:${emulator.port}`, certPem: emulator.certPem }, "/");
      expect(viaIp.status).toBe(200);
      expect(viaIp.text).toContain(emulator.authority);
    } finally {
      await emulator.close();
    }
  });

  it("uses the tenant and subscription it is given", async () => {
    const emulator = await startEmulator({ tenantId: "11111111-2222-4333-8444-555555555555", subscriptionId: "99999999-8888-4777-8666-555555555555" });
    try {
      expect(emulator.authority).toBe(`${emulator.url}/11111111-2222-4333-8444-555555555555/v2.0`);
      expect(emulator.subscriptionId).toBe("99999999-8888-4777-8666-555555555555");
    } finally {
      await emulator.close();
    }
  });

  it("refuses a port that is already taken", async () => {
    const first = await startEmulator();
    try {
      await expect(startEmulator({ port: first.port })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await first.close();
    }
  });

  it("never logs passwords, codes or tokens, even at trace level", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(chunk.toString("utf8"));
        callback();
      },
    });
    const emulator = await startTestEmulator({ logger: pino({ level: "trace" }, sink) });
    try {
      const { code, pkce, answer } = await signIn(emulator);
      const wrong = await signIn(emulator, { password: "not-the-password" });
      expect(wrong.loginResponse.status).toBe(401);
      const tokens = jsonObject(await redeemCode(emulator, code, pkce.verifier));
      const refreshed = jsonObject(await refresh(emulator, stringField(tokens, "refresh_token"), ARM_SCOPE));
      const secrets = [
        ALICE.password,
        "not-the-password",
        code,
        pkce.verifier,
        answer.get("session_state") ?? "",
        stringField(tokens, "access_token"),
        stringField(tokens, "refresh_token"),
        stringField(tokens, "id_token"),
        stringField(refreshed, "access_token"),
      ];
      const log = lines.join("");
      expect(log).toContain("token issued");
      for (const secret of secrets) {
        expect(secret.length).toBeGreaterThan(8);
        expect(log).not.toContain(secret);
      }
    } finally {
      await emulator.close();
    }
  });
});
