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

  // One pair of listeners shared by every socket (`this` is the socket), not two closures per socket:
  // idle sessions are mostly sockets, and per-socket closures were a measurable part of their memory.
  function onPong(this: WebSocket): void {
    if (alive.has(this)) alive.set(this, true);
  }
  function onClose(this: WebSocket): void {
    alive.delete(this);
  }

  return {
    track(socket) {
      alive.set(socket, true);
      socket.on("pong", onPong);
      // `close` is emitted once; `on` avoids the wrapper `once` allocates.
      socket.on("close", onClose);
    },
    stop() {
      clearInterval(timer);
      alive.clear();
    },
  };
}
