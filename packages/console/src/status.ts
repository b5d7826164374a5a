/**
 * What the console shows in `[data-testid="status"]` as `data-state`.
 * - `waiting`: loaded, waiting for the portal's `connect`
 * - `connecting`: opening the relay WebSocket / waiting for `welcome`
 * - `no-agent`: connected, the container is not attached
 * - `ready`: connected and the container is attached
 * - `disconnected`: the socket closed; `ready` is posted again after a backoff
 * - `ended`: the relay closed with 4000, the session is over
 * - `error`: the console cannot start (invalid `/config.json`)
 */
export type ConsoleState = "waiting" | "connecting" | "no-agent" | "ready" | "disconnected" | "ended" | "error";

export function statusText(state: ConsoleState): string {
  switch (state) {
    case "waiting":
      return "Waiting for the portal…";
    case "connecting":
      return "Connecting to the relay…";
    case "no-agent":
      return "Connected. Waiting for the container to attach…";
    case "ready":
      return "Connected. The container is attached.";
    case "disconnected":
      return "Disconnected from the relay. Reconnecting…";
    case "ended":
      return "The session has ended.";
    case "error":
      return "The console could not start.";
  }
}
