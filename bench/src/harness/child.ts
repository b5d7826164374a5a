import { fork, type ChildProcess, type Serializable } from "node:child_process";
import { fileURLToPath } from "node:url";

/**
 * The built JS of a bench child script (`dist/servers/<name>.js`), whether
 * the caller runs from `dist/` or from `src/` under vitest: children always
 * run compiled, with plain node.
 */
export function childScript(name: string): string {
  return fileURLToPath(new URL(`../../dist/servers/${name}.js`, import.meta.url));
}

export interface Child {
  process: ChildProcess;
  /** Resolves with the first IPC message the predicate accepts. */
  next<T>(accept: (message: unknown) => T | undefined, timeoutMs?: number): Promise<T>;
  send(message: Serializable): void;
  stop(): Promise<void>;
}

export interface ForkOptions {
  args?: string[];
  execArgv?: string[];
  env?: Record<string, string>;
}

/** With BENCH_PROFILE_DIR set, every child writes a CPU profile there (`node --cpu-prof`). */
function profileArgs(): string[] {
  const dir = process.env.BENCH_PROFILE_DIR;
  return dir === undefined || dir === "" ? [] : ["--cpu-prof", `--cpu-prof-dir=${dir}`];
}

/** Forks a bench child with IPC; its stdout is discarded (logs), stderr shown. */
export function forkChild(name: string, options: ForkOptions = {}): Child {
  const child = fork(childScript(name), options.args ?? [], {
    execArgv: [...(options.execArgv ?? []), ...profileArgs()],
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    process: child,
    next(accept, timeoutMs = 120_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`${name}: no awaited message within ${timeoutMs} ms`)), timeoutMs);
        const onMessage = (message: unknown): void => {
          try {
            const value = accept(message);
            if (value !== undefined) finish(undefined, value);
          } catch (error) {
            finish(error instanceof Error ? error : new Error(String(error)));
          }
        };
        const onExit = (code: number | null): void => finish(new Error(`${name} exited (${code}) before answering`));
        function finish(error: Error | undefined, value?: ReturnType<typeof accept>): void {
          clearTimeout(timer);
          child.off("message", onMessage);
          child.off("exit", onExit);
          if (error !== undefined || value === undefined) reject(error ?? new Error("no value"));
          else resolve(value);
        }
        child.on("message", onMessage);
        child.once("exit", onExit);
      });
    },
    send(message) {
      child.send(message);
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
