import type { Clock } from "./clock.js";
import { createExpiringMap } from "./expiring-map.js";
import { opaqueToken } from "./random.js";

export const SESSION_LIFETIME_MS = 24 * 3600_000;

/** A sign-in at the emulator; its id is the `sid` claim and the session cookie. */
export interface Session {
  sid: string;
  oid: string;
  /** Epoch seconds. */
  authTime: number;
}

export interface SessionStore {
  create(oid: string): Session;
  get(sid: string): Session | undefined;
  end(sid: string): void;
}

export function createSessionStore(clock: Clock): SessionStore {
  const sessions = createExpiringMap<Session>(clock, SESSION_LIFETIME_MS);
  return {
    create(oid) {
      const session: Session = { sid: opaqueToken(24), oid, authTime: Math.floor(clock.now() / 1000) };
      sessions.set(session.sid, session);
      return session;
    },
    get: (sid) => sessions.get(sid),
    end: (sid) => sessions.delete(sid),
  };
}
