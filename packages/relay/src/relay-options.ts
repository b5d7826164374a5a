import type { Logger } from "pino";
import type { Clock } from "./clock.js";
import type { Launcher } from "./launchers/launcher.js";

export interface UserAuthOptions {
  /** Expected `iss` of user tokens. */
  issuer: string;
  /** Expected `aud`: the relay's API audience. */
  audience: string;
  jwksUri: string;
  /** PEM to trust when fetching the JWKS over https (the emulator is self-signed). */
  tlsCa?: string;
}

export interface RelayOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
  auth: UserAuthOptions;
  /** The console app; sessions answer it with `?session=<id>` appended. */
  consoleUrl: string;
  /** Origins allowed on /ws/browser (console origins). */
  allowedOrigins: string[];
  /** Origins allowed to call /api/* (portal origins). */
  corsOrigins: string[];
  launcher: Launcher;
  /** Default 60 s. */
  ticketTtlMs?: number;
  /** Default 15 s; a side missing a pong by the next ping is terminated. */
  pingIntervalMs?: number;
  /** Default 5; more → 429 TooManySessions. */
  maxSessionsPerUser?: number;
  /** No browser attached for this long → teardown (default 15 min). */
  sessionIdleMs?: number;
  /**
   * A JSON file that keeps the sessions across relay restarts (and kill -9):
   * written whenever a session's endpoint is up or a session ends, read at
   * start. Without it, sessions live only in memory and nothing is written.
   */
  stateFile?: string;
  /** A session taken back from `stateFile` whose agent has not said hello within this long ends (default 60 s). */
  reattachMs?: number;
  /** Default MAX_FRAME_BYTES. */
  maxPayload?: number;
  clock?: Clock;
  logger?: Logger;
}

export interface Relay {
  /** `http://<host>:<port>` */
  url: string;
  /** `ws://<host>:<port>` */
  wsUrl: string;
  port: number;
  sessionCount(): number;
  /**
   * Stops listening and closes every socket with 1001. Without `stateFile`
   * every session ends and launched endpoints are stopped. With it, only the
   * sessions whose endpoint the relay owns (local launcher) end; the others
   * (restored, external launcher) stay in the file for the next relay.
   */
  close(): Promise<void>;
}
