import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";

const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 10_000;
const POLL_MS = 100;

export interface RelayProcessOptions {
  /** The relay CLI's whole AUTHBRIDGE_* configuration (see `node relay/dist/cli.js --help`); must fix AUTHBRIDGE_RELAY_PORT. */
  env: Record<string, string>;
  port: number;
  /** Where the relay (and the endpoints it launches) write their logs; default inherit. */
  outputFd?: number;
}

/** The relay CLI as its own OS process, so a test can kill it (SIGKILL included) and start it again. */
export interface RelayProcess {
  readonly url: string;
  /** AUTHBRIDGE_RELAY_STATE_FILE, when the process has one. */
  readonly stateFile: string | undefined;
  readonly pid: number | undefined;
  /** Starts the process; resolves once `/readyz` answers 200. */
  start(): Promise<void>;
  /** Sends `signal` and resolves when the process has exited. */
  kill(signal: NodeJS.Signals): Promise<void>;
  /** SIGTERM (graceful), SIGKILL if it does not exit within 10 s. */
  stop(): Promise<void>;
}

export function createRelayProcess(options: RelayProcessOptions): RelayProcess {
  const cli = createRequire(import.meta.url).resolve("@authbridge/relay/cli");
  const url = `http://127.0.0.1:${options.port}`;
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  async function waitUntilReady(started: ChildProcess, gone: Promise<void>): Promise<void> {
    const deadline = Date.now() + START_TIMEOUT_MS;
    let running = true;
    void gone.then(() => (running = false));
    while (Date.now() < deadline) {
      if (!running) throw new Error(`the relay process exited with ${String(started.exitCode ?? started.signalCode)} before it was ready`);
      const ready = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1_000) }).then(
        (response) => response.status === 200,
        () => false,
      );
      if (ready) return;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    started.kill("SIGKILL");
    throw new Error(`the relay process was not ready within ${START_TIMEOUT_MS} ms`);
  }

  const relay: RelayProcess = {
    url,
    stateFile: options.env.AUTHBRIDGE_RELAY_STATE_FILE,
    get pid() {
      return child?.pid;
    },
    async start() {
      if (child !== undefined && child.exitCode === null && child.signalCode === null) throw new Error("the relay process is already running");
      const output = options.outputFd ?? "inherit";
      const started = spawn(process.execPath, [cli], { stdio: ["ignore", output, output], env: { ...process.env, ...options.env } });
      child = started;
      exited = new Promise((resolve) => started.once("exit", () => resolve()));
      await waitUntilReady(started, exited);
    },
    async kill(signal) {
      const running = child;
      if (running === undefined || running.exitCode !== null || running.signalCode !== null) return;
      running.kill(signal);
      await exited;
    },
    async stop() {
      const running = child;
      if (running === undefined || running.exitCode !== null || running.signalCode !== null) return;
      const escalate = setTimeout(() => running.kill("SIGKILL"), STOP_TIMEOUT_MS);
      running.kill("SIGTERM");
      await exited;
      clearTimeout(escalate);
    },
  };
  return relay;
}

/** Live sessions, read from the relay's Prometheus metrics. */
export async function relaySessionCount(relayUrl: string): Promise<number> {
  const response = await fetch(`${relayUrl}/metrics`, { signal: AbortSignal.timeout(5_000) });
  const match = /^authbridge_relay_sessions (\d+)$/m.exec(await response.text());
  if (match?.[1] === undefined) throw new Error("the relay's /metrics has no authbridge_relay_sessions");
  return Number(match[1]);
}
