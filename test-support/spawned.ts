import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";

/** A process started from a built CLI, its output collected. */
export interface Spawned {
  child: ChildProcess;
  output(): string;
  /** Resolves when the output matches `pattern`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code (or signal) once the process has exited, and how long that took from this call. */
  exited(timeoutMs?: number): Promise<{ code: number | null; signal: string | null; ms: number }>;
}

export function spawnCli(file: string, args: string[], env: Record<string, string>, options: { ipc?: boolean } = {}): Spawned {
  const stdio = options.ipc === true ? (["ignore", "pipe", "pipe", "ipc"] as const) : (["ignore", "pipe", "pipe"] as const);
  const child = spawn(process.execPath, [file, ...args], { env: { PATH: process.env.PATH ?? "", ...env }, stdio: [...stdio] });
  let out = "";
  const listeners: (() => void)[] = [];
  const onData = (chunk: Buffer): void => {
    out += chunk.toString("utf8");
    for (const listener of listeners) listener();
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const exit = once(child, "exit").then(([code, signal]: unknown[]) => ({
    code: typeof code === "number" ? code : null,
    signal: typeof signal === "string" ? signal : null,
    at: performance.now(),
  }));
  return {
    child,
    output: () => out,
    waitFor(pattern, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no output matching ${String(pattern)} within ${timeoutMs} ms; got:\n${out}`)), timeoutMs);
        const check = (): void => {
          const match = pattern.exec(out);
          if (match !== null) {
            clearTimeout(timer);
            resolve(match[0]);
          }
        };
        listeners.push(check);
        check();
      });
    },
    async exited(timeoutMs = 10_000) {
      const started = performance.now();
      const timeout = new Promise<never>((_resolve, reject) => setTimeout(() => reject(new Error(`did not exit within ${timeoutMs} ms`)), timeoutMs).unref());
      const { code, signal, at } = await Promise.race([exit, timeout]);
      return { code, signal, ms: Math.max(0, at - started) };
    },
  };
}
