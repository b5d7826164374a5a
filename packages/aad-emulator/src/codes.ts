import type { Clock } from "./clock.js";
import { opaqueToken } from "./random.js";

export const CODE_LIFETIME_MS = 5 * 60_000;
/** Redeemed and expired codes are remembered this much longer, to say why they fail. */
const TOMBSTONE_MS = 10 * 60_000;

/** What an authorization code stands for. */
export interface CodeGrant {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  scope: string;
  nonce: string | undefined;
  oid: string;
  sid: string;
}

export type Redemption = { ok: true; grant: CodeGrant } | { ok: false; reason: "unknown" | "redeemed" | "expired" };

export interface CodeStore {
  issue(grant: CodeGrant): string;
  /** Single use: the first redemption (successful or not) burns the code. */
  redeem(code: string): Redemption;
}

export function createCodeStore(clock: Clock): CodeStore {
  const codes = new Map<string, { grant: CodeGrant; expiresAt: number; redeemed: boolean }>();
  const sweep = (now: number): void => {
    for (const [code, entry] of codes) if (entry.expiresAt + TOMBSTONE_MS <= now) codes.delete(code);
  };
  return {
    issue(grant) {
      const now = clock.now();
      sweep(now);
      const code = opaqueToken(48);
      codes.set(code, { grant, expiresAt: now + CODE_LIFETIME_MS, redeemed: false });
      return code;
    },
    redeem(code) {
      const entry = codes.get(code);
      if (entry === undefined) return { ok: false, reason: "unknown" };
      if (entry.redeemed) return { ok: false, reason: "redeemed" };
      entry.redeemed = true;
      if (entry.expiresAt <= clock.now()) return { ok: false, reason: "expired" };
      return { ok: true, grant: entry.grant };
    },
  };
}
