import type { Clock } from "../clock.js";
import { digestSecret, randomSecret } from "./secret.js";
import type { RelayUser } from "./user.js";

/** 192 bits, base64url (32 characters). */
const TICKET_BYTES = 24;
/** Outstanding tickets kept per session; minting more drops the oldest. */
const MAX_TICKETS_PER_SESSION = 8;

export interface TicketGrant {
  ticket: string;
  /** Epoch ms after which the ticket is refused. */
  expiresAt: number;
}

export interface TicketClaim {
  sessionId: string;
  user: RelayUser;
}

export type TicketRedemption = { ok: true; claim: TicketClaim } | { ok: false; reason: "unknown" | "expired" };

/**
 * Single-use browser tickets. A ticket is bound to one session and one user,
 * lives `ttlMs`, and is gone after the first attempt to use it, whatever the
 * outcome of that attempt. Only sha256 digests are kept.
 */
export interface TicketStore {
  mint(sessionId: string, user: RelayUser): TicketGrant;
  /** Removes the ticket and says whether it was valid. */
  redeem(ticket: string): TicketRedemption;
  revokeSession(sessionId: string): void;
  size(): number;
}

interface Entry extends TicketClaim {
  expiresAt: number;
}

export function createTicketStore(options: { clock: Clock; ttlMs: number }): TicketStore {
  const { clock, ttlMs } = options;
  const entries = new Map<string, Entry>();

  const keyOf = (ticket: string): string => digestSecret(ticket).toString("hex");

  function sweep(now: number): void {
    for (const [key, entry] of entries) if (entry.expiresAt <= now) entries.delete(key);
  }

  function dropOldestBeyondCap(sessionId: string): void {
    const keys = [...entries].filter(([, entry]) => entry.sessionId === sessionId).map(([key]) => key);
    for (const key of keys.slice(0, Math.max(0, keys.length - MAX_TICKETS_PER_SESSION + 1))) entries.delete(key);
  }

  return {
    mint(sessionId, user) {
      const now = clock.now();
      sweep(now);
      dropOldestBeyondCap(sessionId);
      const ticket = randomSecret(TICKET_BYTES);
      const expiresAt = now + ttlMs;
      entries.set(keyOf(ticket), { sessionId, user: { tid: user.tid, oid: user.oid }, expiresAt });
      return { ticket, expiresAt };
    },
    redeem(ticket) {
      const key = keyOf(ticket);
      const entry = entries.get(key);
      if (entry === undefined) return { ok: false, reason: "unknown" };
      entries.delete(key);
      if (entry.expiresAt <= clock.now()) return { ok: false, reason: "expired" };
      return { ok: true, claim: { sessionId: entry.sessionId, user: entry.user } };
    },
    revokeSession(sessionId) {
      for (const [key, entry] of entries) if (entry.sessionId === sessionId) entries.delete(key);
    },
    size() {
      return entries.size;
    },
  };
}
