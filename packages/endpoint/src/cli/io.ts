import type { DestinationStream } from "pino";

/** What the CLI touches in the outside world; tests pass fakes. */
export interface CliIo {
  /** Mutable: `serve` deletes AUTHBRIDGE_AGENT_TOKEN from it after reading. */
  env: Record<string, string | undefined>;
  stdout(text: string): void;
  stderr(text: string): void;
  readFile(path: string): string;
  /** The IPC channel to a parent process, when there is one. */
  send?: ((message: unknown) => void) | undefined;
  /**
   * Subscribes to the loss of the IPC channel to the launcher (the relay
   * process died or let go of us); returns the unsubscribe. Absent without IPC.
   */
  onLauncherGone?: ((listener: () => void) => () => void) | undefined;
  /** Subscribes to a termination signal; returns the unsubscribe. */
  onSignal(signal: "SIGTERM" | "SIGINT", listener: () => void): () => void;
  /** Where logs go (default stdout). */
  logDestination?: DestinationStream | undefined;
}
