import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { AuthbridgeError, DEFAULT_ENDPOINT_HOST, DEFAULT_ENDPOINT_PORT, describeParseError } from "@authbridge/protocol";
import { ChildAgent } from "./child-agent.js";
import { parseListeningMessage } from "./ipc-message.js";
import type { LaunchContext, LaunchedAgent, Launcher } from "./launcher.js";

export interface LocalLauncherOptions {
  /** Program and arguments; default `[node, <@authbridge/endpoint/cli>, "serve"]`. Never carries secrets. */
  command?: string[];
  endpointHost?: string;
  /** Default 50342 (the Cloud Shell port); 0 lets the endpoint pick a free port. */
  endpointPort?: number;
  /** Extra environment for the endpoint process. */
  env?: Record<string, string>;
  /** How long the endpoint may take to report `listening` (default 15 s). */
  startTimeoutMs?: number;
  /** File descriptor for the endpoint's stdout and stderr (its JSON logs); default: inherit the relay's. */
  outputFd?: number;
  /**
   * How long an endpoint whose relay died waits for a restarted relay to take
   * its session back (AUTHBRIDGE_ORPHAN_GRACE_MS; default the endpoint's, 30 s).
   * 0 for a relay without a state file: no relay will, so the endpoint exits at
   * once and frees its port.
   */
  orphanGraceMs?: number;
}

const DEFAULT_START_TIMEOUT_MS = 15_000;

/**
 * Spawns one endpoint process per session on this machine. Secrets travel in
 * the environment (AUTHBRIDGE_AGENT_TOKEN), never in argv; the process
 * reports `{ type: "listening", url }` over its IPC channel once it serves.
 */
export function createLocalLauncher(options: LocalLauncherOptions = {}): Launcher {
  const startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  return {
    async launch(context) {
      const [file, ...args] = options.command ?? defaultCommand();
      if (file === undefined) throw new AuthbridgeError("LaunchFailed", "the local launcher's command is empty");
      const child = spawn(file, args, {
        stdio: ["ignore", options.outputFd ?? "inherit", options.outputFd ?? "inherit", "ipc"],
        env: { ...process.env, ...options.env, ...endpointEnv(context, options) },
      });
      const agent = new ChildAgent(child);
      return await waitUntilListening(agent, startTimeoutMs);
    },
  };
}

function endpointEnv(context: LaunchContext, options: LocalLauncherOptions): Record<string, string> {
  return {
    AUTHBRIDGE_AGENT_TOKEN: context.agentToken,
    AUTHBRIDGE_RELAY_URL: context.relayAgentUrl,
    AUTHBRIDGE_SESSION_ID: context.sessionId,
    AUTHBRIDGE_HOST: options.endpointHost ?? DEFAULT_ENDPOINT_HOST,
    AUTHBRIDGE_PORT: String(options.endpointPort ?? DEFAULT_ENDPOINT_PORT),
    ...(options.orphanGraceMs === undefined ? {} : { AUTHBRIDGE_ORPHAN_GRACE_MS: String(options.orphanGraceMs) }),
  };
}

function defaultCommand(): string[] {
  let cli: string;
  try {
    cli = createRequire(import.meta.url).resolve("@authbridge/endpoint/cli");
  } catch (error) {
    throw new AuthbridgeError("LaunchFailed", "the endpoint CLI (@authbridge/endpoint/cli) was not found; build it with `pnpm build`", { cause: error });
  }
  return [process.execPath, cli, "serve"];
}

function waitUntilListening(agent: ChildAgent, timeoutMs: number): Promise<LaunchedAgent> {
  const { child } = agent;
  return new Promise<LaunchedAgent>((resolve, reject) => {
    const timer = setTimeout(() => {
      fail(`the endpoint did not report listening within ${timeoutMs} ms`);
      agent.kill();
    }, timeoutMs);

    function cleanup(): void {
      clearTimeout(timer);
      child.off("message", onMessage);
    }
    function fail(message: string, cause?: unknown): void {
      cleanup();
      reject(new AuthbridgeError("LaunchFailed", message, cause === undefined ? undefined : { cause }));
    }
    function onMessage(message: unknown): void {
      // Messages of other types are not for the launcher.
      if (!isListeningAttempt(message)) return;
      const parsed = parseListeningMessage(message);
      if (parsed.ok) {
        cleanup();
        resolve(agent.asLaunchedAgent(parsed.value.url));
      } else {
        fail(`the endpoint sent an invalid listening message (${describeParseError(parsed.error)})`);
        agent.kill();
      }
    }
    child.on("message", onMessage);
    agent.onExit((code) => {
      const { spawnError } = agent;
      if (spawnError !== undefined) fail(`the endpoint process could not be started: ${spawnError.message}`, spawnError);
      else fail(`the endpoint ${code === null ? "was killed by a signal" : `exited with code ${code}`} before it was listening`);
    });
  });
}

function isListeningAttempt(message: unknown): boolean {
  return typeof message === "object" && message !== null && "type" in message && message.type === "listening";
}
