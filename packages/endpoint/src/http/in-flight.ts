import type { ServerResponse } from "node:http";

/**
 * Counts responses not yet finished so a graceful close can wait for them.
 * Each is bounded by its own deadline (relay request timeout, body timeout).
 */
export interface InFlight {
  track(res: ServerResponse): void;
  readonly count: number;
  /** Stops keep-alive on unfinished responses (their sockets close after them). */
  closeConnectionsAfterResponses(): void;
  /** Resolves when nothing is in flight, or after `timeoutMs` (returns false then). */
  idle(timeoutMs: number): Promise<boolean>;
}

export function createInFlight(): InFlight {
  const responses = new Set<ServerResponse>();
  const waiters = new Set<() => void>();

  function done(res: ServerResponse): void {
    if (!responses.delete(res)) return;
    if (responses.size === 0) for (const wake of [...waiters]) wake();
  }

  // One listener shared by every response (no closure per request).
  function onClose(this: ServerResponse): void {
    done(this);
  }

  return {
    track(res) {
      responses.add(res);
      res.once("close", onClose);
    },
    get count() {
      return responses.size;
    },
    closeConnectionsAfterResponses() {
      for (const res of responses) {
        if (!res.headersSent) {
          res.shouldKeepAlive = false;
          res.setHeader("connection", "close");
        }
      }
    },
    idle(timeoutMs) {
      if (responses.size === 0) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => finish(false), timeoutMs);
        function finish(idle: boolean): void {
          clearTimeout(timer);
          waiters.delete(wake);
          resolve(idle);
        }
        function wake(): void {
          finish(true);
        }
        waiters.add(wake);
      });
    },
  };
}
