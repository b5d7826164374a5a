import type { PtyProcess, SpawnShellOptions } from "../../src/index.js";

/** A PTY stand-in: records what the host does to it and lets the test emit output and exit. */
export class FakePty implements PtyProcess {
  readonly pid = 4242;
  readonly written: string[] = [];
  readonly sizes: [number, number][] = [];
  readonly signals: string[] = [];
  paused = false;
  pauses = 0;
  #data: ((data: string) => void)[] = [];
  #exit: ((exit: { exitCode: number; signal?: number | undefined }) => void)[] = [];

  constructor(readonly options: SpawnShellOptions) {}

  onData(listener: (data: string) => void): void {
    this.#data.push(listener);
  }
  onExit(listener: (exit: { exitCode: number; signal?: number | undefined }) => void): void {
    this.#exit.push(listener);
  }
  write(data: Buffer): void {
    this.written.push(data.toString("utf8"));
  }
  resize(cols: number, rows: number): void {
    this.sizes.push([cols, rows]);
  }
  pause(): void {
    this.paused = true;
    this.pauses += 1;
  }
  resume(): void {
    this.paused = false;
  }
  kill(signal = "SIGHUP"): void {
    this.signals.push(signal);
    this.exit(129);
  }
  emit(text: string): void {
    for (const listener of this.#data) listener(text);
  }
  exit(exitCode: number): void {
    for (const listener of this.#exit) listener({ exitCode });
  }
}
