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
  /** Default 30 s. */
  launchTimeoutMs?: number;
  metrics?: SessionMetrics;
}

/** The live sessions: creation (with its launch), lookup by owner, teardown. */
export interface SessionStore {
  /** Creates a session for `user` and launches its endpoint; throws TooManySessions or LaunchFailed. */
  open(user: RelayUser): Promise<Session>;
  /** The session if it exists and belongs to `user`; otherwise undefined, whether it exists or not. */
  findOwned(id: string, user: RelayUser): Session | undefined;
  /** For the WebSocket doors, which authenticate with the agent token or a ticket instead. */
  findById(id: string): Session | undefined;
  count(): number;
  /** Ends every session (the relay is closing) and waits for launches in flight. */
  closeAll(code: number, reason: string): Promise<void>;
}

export function createSessionStore(options: SessionStoreOptions): SessionStore {
  const { launcher, tickets, clock, logger } = options;
  const sessions = new Map<string, Session>();
  const launches = new Set<Promise<void>>();
  const launchTimeoutMs = options.launchTimeoutMs ?? DEFAULT_LAUNCH_TIMEOUT_MS;

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
      const session = new Session({
        id: randomSecret(SESSION_ID_BYTES),
        owner: user,
        agentTokenDigest: credential.digest,
        clock,
        logger,
        idleMs: options.sessionIdleMs,
        maxPendingRequests: MAX_PENDING_REQUESTS,
        maxRequestWaitMs: MAX_REQUEST_WAIT_MS,
        ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
        onEnded: (ended) => {
          if (sessions.get(ended.id) === ended) sessions.delete(ended.id);
          tickets.revokeSession(ended.id);
        },
      });
      // Registered before the launch: the endpoint may attach before it reports listening.
      sessions.set(session.id, session);
      logger.info({ sessionId: session.id, tid: user.tid, oid: user.oid }, "session created; launching endpoint");
      try {
        await launchFor(session, credential.token);
      } catch (error) {
        logger.warn({ sessionId: session.id, err: error }, "launch failed");
        await session.end();
        const reason = error instanceof Error ? error.message : "unknown error";
        throw new AuthbridgeError("LaunchFailed", `the session's endpoint could not be started: ${reason}`, { cause: error });
      }
      if (session.ended) throw new AuthbridgeError("LaunchFailed", "the session ended while its endpoint was starting");
      logger.info({ sessionId: session.id, endpointUrl: session.endpointUrl }, "endpoint launched");
      return session;
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
    async closeAll(code, reason) {
      await Promise.all([...sessions.values()].map((session) => session.end(code, reason)));
      await Promise.allSettled([...launches]);
    },
  };
}
