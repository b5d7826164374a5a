import type { ChildProcess } from "node:child_process";
import type { LaunchedAgent } from "./launcher.js";

/** How long `stop()` waits after SIGTERM before SIGKILL. */
export const STOP_GRACE_MS = 5_000;

/**
 * Ownership of a spawned endpoint process: exit tracking, exit listeners,
 * and a stop that escalates from SIGTERM to SIGKILL.
 */
export class ChildAgent {
  #exited = false;
  #exitCode: number | null = null;
  readonly #listeners: ((code: number | null) => void)[] = [];
  readonly #exitWaiters: (() => void)[] = [];
  #stopping: Promise<void> | undefined;
  /** Why the process could not be started at all (ENOENT, EACCES, …). */
  spawnError: Error | undefined;

  constructor(
    readonly child: ChildProcess,
    private readonly stopGraceMs: number = STOP_GRACE_MS,
  ) {
    child.once("exit", (code) => this.#markExited(code));
    // A spawn failure (ENOENT, EACCES) emits `error` and never `exit`; later
    // errors (a failed kill or IPC send) must not go unhandled either.
    child.on("error", (error) => {
      if (child.pid !== undefined) return;
      this.spawnError = error;
      this.#markExited(null);
    });
  }

  get exited(): boolean {
    return this.#exited;
  }

  get exitCode(): number | null {
    return this.#exitCode;
  }

  /** Resolves when the process has exited. */
  whenExited(): Promise<void> {
    if (this.#exited) return Promise.resolve();
    return new Promise((resolve) => this.#exitWaiters.push(resolve));
  }

  onExit(listener: (code: number | null) => void): void {
    if (this.#exited) {
      const code = this.#exitCode;
      queueMicrotask(() => listener(code));
      return;
    }
    this.#listeners.push(listener);
  }

  kill(): void {
    if (!this.#exited) this.child.kill("SIGKILL");
  }

  stop(): Promise<void> {
    if (this.#exited) return Promise.resolve();
    this.#stopping ??= new Promise<void>((resolve) => {
      const escalate = setTimeout(() => this.kill(), this.stopGraceMs);
      escalate.unref();
      void this.whenExited().then(() => {
        clearTimeout(escalate);
        resolve();
      });
      this.child.kill("SIGTERM");
    });
    return this.#stopping;
  }

  asLaunchedAgent(endpointUrl: string): LaunchedAgent {
    return {
      endpointUrl,
      stop: () => this.stop(),
      onExit: (listener) => this.onExit(listener),
    };
  }

  #markExited(code: number | null): void {
    if (this.#exited) return;
    this.#exited = true;
    this.#exitCode = code;
    for (const waiter of this.#exitWaiters.splice(0)) waiter();
    for (const listener of this.#listeners.splice(0)) listener(code);
  }
}
