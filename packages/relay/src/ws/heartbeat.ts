import type { WebSocket } from "ws";

export interface Heartbeat {
  track(socket: WebSocket): void;
  stop(): void;
}

/**
 * Pings every tracked socket each `intervalMs`; a socket that has not
 * answered the previous ping with a pong by then is terminated, which ends
 * its side as if it had closed.
 */
export function startHeartbeat(options: { intervalMs: number; onTerminate?: (socket: WebSocket) => void }): Heartbeat {
  const alive = new Map<WebSocket, boolean>();
  const timer = setInterval(() => {
    for (const [socket, answered] of alive) {
      if (!answered) {
        alive.delete(socket);
        options.onTerminate?.(socket);
        socket.terminate();
        continue;
      }
      alive.set(socket, false);
      socket.ping();
    }
  }, options.intervalMs);
  timer.unref();

  return {
    track(socket) {
      alive.set(socket, true);
      socket.on("pong", () => {
        if (alive.has(socket)) alive.set(socket, true);
      });
      socket.once("close", () => alive.delete(socket));
    },
    stop() {
      clearInterval(timer);
      alive.clear();
    },
  };
}
