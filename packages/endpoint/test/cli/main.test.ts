import { afterEach, describe, expect, it } from "vitest";
import type { CliIo } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";
import { startFakeRelay, type FakeRelay } from "../helpers/fake-relay.js";
import { httpRequest } from "../helpers/http-client.js";

type Signal = "SIGTERM" | "SIGINT";

interface FakeIo extends CliIo {
  out: string[];
  err: string[];
  sent: unknown[];
  logs: string[];
  raise(signal: Signal): void;
}

/** The port in an IPC `listening` message. */
function listeningPort(message: unknown): number {
  if (typeof message !== "object" || message === null || !("url" in message) || typeof message.url !== "string") throw new Error("not a listening message");
  return Number(new URL(message.url).port);
}

function fakeIo(env: Record<string, string | undefined> = {}, options: { ipc?: boolean; files?: Record<string, string> } = {}): FakeIo {
  const listeners = new Map<Signal, Set<() => void>>();
  const io: FakeIo = {
    env,
    out: [],
    err: [],
    sent: [],
    logs: [],
    stdout: (text) => void io.out.push(text),
    stderr: (text) => void io.err.push(text),
    readFile: (path) => {
      const text = options.files?.[path];
      if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" });
      return text;
    },
    send: options.ipc === false ? undefined : (message) => void io.sent.push(message),
    onSignal(signal, listener) {
      const set = listeners.get(signal) ?? new Set();
      set.add(listener);
      listeners.set(signal, set);
      return () => set.delete(listener);
    },
    raise(signal) {
      for (const listener of listeners.get(signal) ?? []) listener();
    },
    logDestination: { write: (line: string) => void io.logs.push(line) },
  };
  return io;
}

describe("cli", () => {
  describe("env", () => {
    it("prints the Cloud Shell exports for eval", async () => {
      const io = fakeIo();
      expect(await main(["env"], io)).toBe(0);
      expect(io.out.join("")).toBe(
        "export MSI_ENDPOINT=http://localhost:50342/oauth2/token\nexport ACC_CLOUD=authbridge\nexport AZUREPS_HOST_ENVIRONMENT=cloud-shell/1.0\n",
      );
    });

    it("reads AUTHBRIDGE_PORT and the App Service secret from AUTHBRIDGE_CONFIG_FILE too", async () => {
      const io = fakeIo({ AUTHBRIDGE_CONFIG_FILE: "/etc/authbridge.env" }, { files: { "/etc/authbridge.env": "AUTHBRIDGE_PORT=7100\nAUTHBRIDGE_APP_SERVICE_SECRET=0123456789abcdef-secret\n" } });
      expect(await main(["env"], io)).toBe(0);
      expect(io.out.join("")).toContain("export MSI_ENDPOINT=http://localhost:7100/oauth2/token\n");
      expect(io.out.join("")).toContain("export IDENTITY_HEADER=0123456789abcdef-secret\n");
      const missing = fakeIo({ AUTHBRIDGE_CONFIG_FILE: "/nope.env" });
      expect(await main(["env"], missing)).toBe(2);
      expect(missing.err.join("")).toBe("authbridge-endpoint env: invalid configuration: AUTHBRIDGE_CONFIG_FILE: cannot read /nope.env (ENOENT)\n");
    });

    it("uses --port, else AUTHBRIDGE_PORT", async () => {
      const flag = fakeIo({ AUTHBRIDGE_PORT: "7000" });
      await main(["env", "--port", "6000"], flag);
      expect(flag.out.join("")).toContain("export MSI_ENDPOINT=http://localhost:6000/oauth2/token\n");
      const env = fakeIo({ AUTHBRIDGE_PORT: "7000" });
      await main(["env"], env);
      expect(env.out.join("")).toContain("export MSI_ENDPOINT=http://localhost:7000/oauth2/token\n");
    });

    it("adds IDENTITY_ENDPOINT and IDENTITY_HEADER when the App Service dialect is on", async () => {
      const io = fakeIo({ AUTHBRIDGE_PORT: "7000", AUTHBRIDGE_APP_SERVICE_SECRET: "0123456789abcdef-secret" });
      expect(await main(["env"], io)).toBe(0);
      expect(io.out.join("")).toBe(
        [
          "export MSI_ENDPOINT=http://localhost:7000/oauth2/token",
          "export ACC_CLOUD=authbridge",
          "export AZUREPS_HOST_ENVIRONMENT=cloud-shell/1.0",
          "export IDENTITY_ENDPOINT=http://localhost:7000/msi/token",
          "export IDENTITY_HEADER=0123456789abcdef-secret",
          "",
        ].join("\n"),
      );
    });

    it("refuses an App Service secret that is too short or needs quoting, without echoing it", async () => {
      for (const secret of ["short", "has spaces in it, 1234567890", "quote'0123456789abcdef"]) {
        const io = fakeIo({ AUTHBRIDGE_APP_SERVICE_SECRET: secret });
        expect(await main(["env"], io)).toBe(2);
        expect(io.err.join("")).toMatch(/^authbridge-endpoint env: AUTHBRIDGE_APP_SERVICE_SECRET: must be 16 to 512 characters/);
        expect(io.err.join("")).not.toContain(secret);
        expect(io.out).toEqual([]);
      }
    });

    it("refuses a bad port naming the flag", async () => {
      const io = fakeIo();
      expect(await main(["env", "--port", "0"], io)).toBe(2);
      expect(io.err.join("")).toBe("authbridge-endpoint env: --port: must be an integer from 1 to 65535\n");
      expect(io.out).toEqual([]);
    });
  });

  describe("help", () => {
    it.each([[["--help"]], [["-h"]], [["help"]]])("prints the command list for %j", async (argv) => {
      const io = fakeIo();
      expect(await main(argv, io)).toBe(0);
      expect(io.out.join("")).toMatch(/^Usage: authbridge-endpoint <command>[\s\S]*serve[\s\S]*env/);
    });

    it("prints help for each sub-command", async () => {
      const serve = fakeIo();
      expect(await main(["serve", "--help"], serve)).toBe(0);
      expect(serve.out.join("")).toMatch(/^Usage: authbridge-endpoint serve[\s\S]*AUTHBRIDGE_AGENT_TOKEN[\s\S]*AUTHBRIDGE_ALLOWLIST_FILE/);
      const env = fakeIo();
      expect(await main(["env", "--help"], env)).toBe(0);
      expect(env.out.join("")).toMatch(/^Usage: authbridge-endpoint env \[--port PORT\]/);
    });

    it("exits 2 on no command, an unknown command or an unknown option", async () => {
      const none = fakeIo();
      expect(await main([], none)).toBe(2);
      expect(none.err.join("")).toContain("Usage:");
      const unknown = fakeIo();
      expect(await main(["launch"], unknown)).toBe(2);
      expect(unknown.err.join("")).toContain('unknown command "launch"');
      const option = fakeIo();
      expect(await main(["serve", "--verbose"], option)).toBe(2);
      expect(option.err.join("")).toContain("Unknown option '--verbose'");
    });
  });

  describe("serve", () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });

    async function relay(): Promise<FakeRelay> {
      const started = await startFakeRelay();
      cleanups.push(() => started.close());
      return started;
    }

    it("reports an invalid configuration naming the key, and still drops the agent token from the environment", async () => {
      const io = fakeIo({ AUTHBRIDGE_AGENT_TOKEN: "secret", AUTHBRIDGE_RELAY_URL: "ws://127.0.0.1:1/ws/agent", AUTHBRIDGE_SESSION_ID: "s", AUTHBRIDGE_PORT: "http" });
      expect(await main(["serve"], io)).toBe(2);
      expect(io.err.join("")).toBe("authbridge-endpoint serve: invalid configuration: AUTHBRIDGE_PORT: must be an integer from 0 to 65535\n");
      expect("AUTHBRIDGE_AGENT_TOKEN" in io.env).toBe(false);
    });

    it.each([
      ["a bad value, naming the key and the file", "AUTHBRIDGE_PORT=http\n", "AUTHBRIDGE_PORT (set in /etc/authbridge.env): must be an integer from 0 to 65535"],
      ["a bad terminal value", "AUTHBRIDGE_TERMINAL=maybe\n", 'AUTHBRIDGE_TERMINAL (set in /etc/authbridge.env): must be "on" or "off"'],
      ["a key the endpoint does not know (a typo)", "AUTHBRIDGE_PROT=1\n", "AUTHBRIDGE_PROT (set in /etc/authbridge.env): is not an endpoint setting"],
      ["a line that is not KEY=value", "oops\n", "AUTHBRIDGE_CONFIG_FILE: /etc/authbridge.env line 1: is not KEY=value"],
    ])("refuses AUTHBRIDGE_CONFIG_FILE with %s", async (_name, text, message) => {
      const io = fakeIo(
        { AUTHBRIDGE_AGENT_TOKEN: "secret", AUTHBRIDGE_RELAY_URL: "ws://127.0.0.1:1/ws/agent", AUTHBRIDGE_SESSION_ID: "s", AUTHBRIDGE_CONFIG_FILE: "/etc/authbridge.env" },
        { files: { "/etc/authbridge.env": text } },
      );
      expect(await main(["serve"], io)).toBe(2);
      expect(io.err.join("")).toBe(`authbridge-endpoint serve: invalid configuration: ${message}\n`);
      expect("AUTHBRIDGE_AGENT_TOKEN" in io.env).toBe(false);
    });

    it("takes the settings the environment leaves unset from AUTHBRIDGE_CONFIG_FILE (the agent token included), the environment winning", async () => {
      const fake = await relay();
      const file = ["# authbridge endpoint", `AUTHBRIDGE_RELAY_URL="${fake.url}"`, "export AUTHBRIDGE_AGENT_TOKEN='agent-from-file'", "AUTHBRIDGE_SESSION_ID=session-1", "AUTHBRIDGE_PORT=99999", ""].join("\n");
      const io = fakeIo({ AUTHBRIDGE_CONFIG_FILE: "/etc/authbridge.env", AUTHBRIDGE_PORT: "0" }, { files: { "/etc/authbridge.env": file } });
      const exit = main(["serve"], io);
      await expect.poll(() => io.sent.length).toBe(1);
      expect(listeningPort(io.sent[0])).toBeGreaterThan(0);
      await expect.poll(() => fake.handshakes.length).toBe(1);
      expect(fake.handshakes[0]?.authorization).toBe("Bearer agent-from-file");
      fake.endSession();
      expect(await exit).toBe(0);
      expect(io.logs.join("")).not.toContain("agent-from-file");
    });

    it("announces listening over IPC, serves, and exits 0 when the relay ends the session", async () => {
      const fake = await relay();
      const io = fakeIo({ AUTHBRIDGE_AGENT_TOKEN: "agent-secret", AUTHBRIDGE_RELAY_URL: fake.url, AUTHBRIDGE_SESSION_ID: "session-1" });
      const exit = main(["serve", "--port", "0", "--host", "127.0.0.1"], io);

      await expect.poll(() => io.sent.length).toBe(1);
      const [message] = io.sent;
      expect(message).toMatchObject({ type: "listening" });
      expect(Object.keys(message ?? {})).toEqual(["type", "url"]);
      const port = listeningPort(message);
      expect(message).toEqual({ type: "listening", url: `http://127.0.0.1:${port}` });
      expect(io.env.AUTHBRIDGE_AGENT_TOKEN).toBeUndefined();
      await expect.poll(async () => (await httpRequest(port, { path: "/readyz" })).status).toBe(200);
      expect(fake.handshakes[0]?.authorization).toBe("Bearer agent-secret");

      fake.endSession();
      expect(await exit).toBe(0);
      await expect(httpRequest(port, { path: "/healthz" })).rejects.toThrow(/ECONNREFUSED/);
      const logs = io.logs.join("");
      expect(logs).toContain('"msg":"listening"');
      expect(logs).not.toContain("agent-secret");
    });

    it("exits 0 after a graceful close on SIGTERM, without IPC too", async () => {
      const fake = await relay();
      const io = fakeIo({ AUTHBRIDGE_AGENT_TOKEN: "t", AUTHBRIDGE_RELAY_URL: fake.url, AUTHBRIDGE_SESSION_ID: "session-1", AUTHBRIDGE_PORT: "0" }, { ipc: false });
      const exit = main(["serve"], io);
      await expect.poll(() => io.logs.some((line) => line.includes('"msg":"listening"'))).toBe(true);
      io.raise("SIGTERM");
      expect(await exit).toBe(0);
      expect(io.logs.join("")).toContain('"reason":"SIGTERM"');
    });

    it("exits 1 when it cannot listen", async () => {
      const fake = await relay();
      const blocker = fakeIo({ AUTHBRIDGE_AGENT_TOKEN: "t", AUTHBRIDGE_RELAY_URL: fake.url, AUTHBRIDGE_SESSION_ID: "s", AUTHBRIDGE_PORT: "0" });
      const first = main(["serve"], blocker);
      await expect.poll(() => blocker.sent.length).toBe(1);
      const port = String(listeningPort(blocker.sent[0]));
      const io = fakeIo({ AUTHBRIDGE_AGENT_TOKEN: "t", AUTHBRIDGE_RELAY_URL: fake.url, AUTHBRIDGE_SESSION_ID: "s", AUTHBRIDGE_PORT: port });
      expect(await main(["serve"], io)).toBe(1);
      expect(io.err.join("")).toContain("EADDRINUSE");
      blocker.raise("SIGINT");
      expect(await first).toBe(0);
    });
  });
});
