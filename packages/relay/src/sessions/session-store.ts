import type { SessionMetrics } from "../metrics.js";
import { AuthbridgeError } from "@authbridge/protocol";
import type { Logger } from "pino";
import { mintAgentToken } from "../auth/agent-token.js";
import { randomSecret } from "../auth/secret.js";
import type { TicketStore } from "../auth/tickets.js";
import type { RelayUser } from "../auth/user.js";
import type { Clock } from "../clock.js";
import type { Launcher } from "../launchers/launcher.js";
import { Session } from "./session.js";
import { writeSessionStateFile, type SessionRecord } from "./session-state-file.js";

/** 128 bits, base64url. */
const SESSION_ID_BYTES = 16;
/** The launcher's own deadline is shorter (local: 15 s); this bounds any launcher. */
const DEFAULT_LAUNCH_TIMEOUT_MS = 30_000;
const MAX_PENDING_REQUESTS = 256;
/** However far the agent sets a deadline, the relay stops waiting after this. */
const MAX_REQUEST_WAIT_MS = 5 * 60_000;

export interface SessionStoreOptions {
  launcher: Launcher;
  tickets: TicketStore;
  clock: Clock;
  logger: Logger;
  /** `ws://…/ws/agent`, known once the relay listens. */
  relayAgentUrl(): string;
  maxSessionsPerUser: number;
  sessionIdleMs: number;
  /** Where sessions are kept across relay restarts; without it nothing is written. */
  stateFile?: string;
  /** A restored session whose agent has not said hello within this long ends. */
  reattachMs: number;
  /** Default 30 s. */
  launchTimeoutMs?: number;
  metrics?: SessionMetrics;
}

/**
 * The live sessions: creation (with its launch), lookup by owner, teardown.
 * With a state file, every session whose endpoint is up (launched, or
 * restored) is written to it whenever one is added or ends.
 */
export interface SessionStore {
  /** Creates a session for `user` and launches its endpoint; throws TooManySessions or LaunchFailed. */
  open(user: RelayUser): Promise<Session>;
  /** Takes back the sessions a previous relay left in the state file; each waits `reattachMs` for its agent. */
  restore(records: readonly SessionRecord[]): void;
  /** The session if it exists and belongs to `user`; otherwise undefined, whether it exists or not. */
  findOwned(id: string, user: RelayUser): Session | undefined;
  /** For the WebSocket doors, which authenticate with the agent token or a ticket instead. */
  findById(id: string): Session | undefined;
  count(): number;
  /**
   * The relay is shutting down: closes every socket with `code` and waits for
   * launches in flight. Without a state file every session ends (launched
   * endpoints are stopped). With one, only the sessions whose endpoint the
   * relay owns end and leave the file; the others (restored, external
   * launcher) are released and stay in the file for the next relay.
   */
  shutdown(code: number, reason: string): Promise<void>;
}

export function createSessionStore(options: SessionStoreOptions): SessionStore {
  const { launcher, tickets, clock, logger, stateFile } = options;
  const sessions = new Map<string, Session>();
  /** Sessions whose endpoint is still starting; they are not written to the state file. */
  const launching = new Set<Session>();
  const launches = new Set<Promise<void>>();
  const launchTimeoutMs = options.launchTimeoutMs ?? DEFAULT_LAUNCH_TIMEOUT_MS;
  let shuttingDown = false;

  /** Replaces the state file's contents with every session whose endpoint is up. */
  function writeState(): void {
    if (stateFile === undefined) return;
    const records = [...sessions.values()].filter((session) => !launching.has(session)).map((session) => session.record());
    try {
      writeSessionStateFile(stateFile, records);
    } catch (error) {
      logger.error({ err: error, stateFile }, "the session state file could not be written; sessions will not survive a relay restart");
    }
  }

  /** Writes the state file, except during `shutdown`, which writes it once after ending what it ends. */
  function save(): void {
    if (!shuttingDown) writeState();
  }

  function addSession(fields: { id: string; owner: RelayUser; agentTokenDigest: Buffer; createdAt: number; reattachMs?: number }): Session {
    const session = new Session({
      ...fields,
      clock,
      logger,
      idleMs: options.sessionIdleMs,
      maxPendingRequests: MAX_PENDING_REQUESTS,
      maxRequestWaitMs: MAX_REQUEST_WAIT_MS,
      ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
      onEnded: (ended) => {
        tickets.revokeSession(ended.id);
        if (sessions.get(ended.id) !== ended) return;
        sessions.delete(ended.id);
        if (!launching.has(ended)) save();
      },
    });
    sessions.set(session.id, session);
    return session;
  }

  /** Launches the session's endpoint within the deadline; a late launch is still adopted (and so stopped, the session having ended). */
  async function launchFor(session: Session, agentToken: string): Promise<void> {
    const launch = launcher.launch({ sessionId: session.id, agentToken, relayAgentUrl: options.relayAgentUrl() });
    const adopted = launch.then((agent) => session.adoptLaunched(agent));
    launches.add(adopted);
    const forget = (): void => void launches.delete(adopted);
    adopted.then(forget, forget);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new AuthbridgeError("LaunchFailed", `the endpoint did not start within ${launchTimeoutMs} ms`)), launchTimeoutMs);
      timer.unref();
    });
    try {
      await Promise.race([adopted, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    async open(user) {
      const owned = [...sessions.values()].filter((session) => session.ownedBy(user)).length;
      if (owned >= options.maxSessionsPerUser) {
        throw new AuthbridgeError("TooManySessions", `you already have ${owned} sessions open (the limit); close one first`);
      }
      const credential = mintAgentToken();
      // Registered before the launch: the endpoint may attach before it reports listening.
      const session = addSession({ id: randomSecret(SESSION_ID_BYTES), owner: user, agentTokenDigest: credential.digest, createdAt: clock.now() });
      launching.add(session);
      logger.info({ sessionId: session.id, tid: user.tid, oid: user.oid }, "session created; launching endpoint");
      try {
        await launchFor(session, credential.token);
      } catch (error) {
        logger.warn({ sessionId: session.id, err: error }, "launch failed");
        await session.end();
        const reason = error instanceof Error ? error.message : "unknown error";
        throw new AuthbridgeError("LaunchFailed", `the session's endpoint could not be started: ${reason}`, { cause: error });
      } finally {
        launching.delete(session);
      }
      if (session.ended) throw new AuthbridgeError("LaunchFailed", "the session ended while its endpoint was starting");
      logger.info({ sessionId: session.id, endpointUrl: session.endpointUrl }, "endpoint launched");
      save();
      return session;
    },
    restore(records) {
      for (const record of records) {
        const session = addSession({ id: record.id, owner: record.owner, agentTokenDigest: record.agentTokenDigest, createdAt: record.createdAt, reattachMs: options.reattachMs });
        session.endpointUrl = record.endpointUrl;
        logger.info({ sessionId: session.id, tid: record.owner.tid, oid: record.owner.oid }, "session restored; waiting for its agent");
      }
    },
    findOwned(id, user) {
      const session = sessions.get(id);
      return session?.ownedBy(user) === true ? session : undefined;
    },
    findById(id) {
      return sessions.get(id);
    },
    count() {
      return sessions.size;
    },
    async shutdown(code, reason) {
      shuttingDown = true;
      const ending: Promise<void>[] = [];
      const releasing: Promise<void>[] = [];
      for (const session of [...sessions.values()]) {
        if (stateFile !== undefined && !launching.has(session) && !session.ownsEndpoint) releasing.push(session.release(code, reason));
        else ending.push(session.end(code, reason));
      }
      // The ended sessions are gone from the map: the file now holds exactly what the next relay takes back.
      writeState();
      if (stateFile !== undefined) logger.info({ stateFile, kept: releasing.length }, "sessions left in the state file for the next relay");
      await Promise.all([...ending, ...releasing]);
      await Promise.allSettled([...launches]);
    },
  };
}
