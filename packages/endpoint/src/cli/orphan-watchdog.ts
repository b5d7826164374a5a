/** Default for AUTHBRIDGE_ORPHAN_GRACE_MS. */
export const DEFAULT_ORPHAN_GRACE_MS = 30_000;

export interface OrphanWatchdogOptions {
  /** How long an orphan may stay away from the relay before it gives up. */
  graceMs: number;
  /** Called once, when the grace runs out. */
  onExpired(): void;
  setTimer?: (fn: () => void, ms: number) => () => void;
}

export interface OrphanWatchdog {
  /** The process that launched us is gone (its IPC channel closed). */
  launcherGone(): void;
  /** Whether the relay currently has our session (the agent was welcomed). */
  relayConnected(connected: boolean): void;
  stop(): void;
}

/**
 * Decides when a launched endpoint whose launcher died should exit. It does
 * not exit at once: a relay that was killed and restarts with its state file
 * takes the session back, and the shell and cache survive. But an orphan that
 * the relay has not welcomed for `graceMs` (no relay came back, or it forgot
 * the session) exits, so it never holds the session's port forever.
 */
export function createOrphanWatchdog(options: OrphanWatchdogOptions): OrphanWatchdog {
  const setTimer = options.setTimer ?? defaultSetTimer;
  let orphan = false;
  let connected = false;
  let expired = false;
  let cancel: (() => void) | undefined;

  function update(): void {
    if (expired) return;
    if (!orphan || connected) {
      cancel?.();
      cancel = undefined;
      return;
    }
    cancel ??= setTimer(() => {
      cancel = undefined;
      expired = true;
      options.onExpired();
    }, options.graceMs);
  }

  return {
    launcherGone() {
      orphan = true;
      update();
    },
    relayConnected(next) {
      connected = next;
      update();
    },
    stop() {
      expired = true;
      cancel?.();
      cancel = undefined;
    },
  };
}

function defaultSetTimer(fn: () => void, ms: number): () => void {
  const timer = setTimeout(fn, ms);
  timer.unref();
  return () => clearTimeout(timer);
}
