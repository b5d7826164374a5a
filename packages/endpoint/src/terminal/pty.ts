/** The part of a node-pty process the terminal host uses; tests pass a fake. */
export interface PtyProcess {
  readonly pid: number;
  onData(listener: (data: string) => void): void;
  onExit(listener: (exit: { exitCode: number; signal?: number | undefined }) => void): void;
  write(data: Buffer): void;
  resize(cols: number, rows: number): void;
  pause(): void;
  resume(): void;
  kill(signal?: string): void;
}

export interface SpawnShellOptions {
  file: string;
  args: string[];
  cols: number;
  rows: number;
  cwd: string;
  env: Record<string, string>;
}

export type SpawnShell = (options: SpawnShellOptions) => Promise<PtyProcess>;

/**
 * Spawns in a pseudo-terminal with node-pty. The native module is loaded on
 * first use only, so an endpoint without a terminal never needs it.
 */
export const spawnWithNodePty: SpawnShell = async (options) => {
  const pty = await import("node-pty");
  const child = pty.spawn(options.file, options.args, {
    name: options.env["TERM"] ?? "xterm-256color",
    cols: options.cols,
    rows: options.rows,
    cwd: options.cwd,
    env: options.env,
  });
  return {
    pid: child.pid,
    onData: (listener) => void child.onData(listener),
    onExit: (listener) => void child.onExit(listener),
    write: (data) => child.write(data),
    resize: (cols, rows) => child.resize(cols, rows),
    pause: () => child.pause(),
    resume: () => child.resume(),
    kill: (signal) => child.kill(signal),
  };
};
