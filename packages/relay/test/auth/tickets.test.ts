import { describe, expect, it } from "vitest";
import { agentTokenMatches, mintAgentToken } from "../../src/auth/agent-token.js";
import { createTicketStore } from "../../src/auth/tickets.js";
import { FakeClock } from "../helpers/relay.js";

const alice = { tid: "t", oid: "alice" };

describe("tickets", () => {
  it("are base64url with at least 128 bits and expire after the TTL", () => {
    const clock = new FakeClock(1_000);
    const store = createTicketStore({ clock, ttlMs: 60_000 });
    const grant = store.mint("s1", alice);
    expect(grant.ticket).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    expect(grant.expiresAt).toBe(61_000);
  });

  it("are single use", () => {
    const store = createTicketStore({ clock: new FakeClock(), ttlMs: 60_000 });
    const { ticket } = store.mint("s1", alice);
    expect(store.redeem(ticket)).toEqual({ ok: true, claim: { sessionId: "s1", user: alice } });
    expect(store.redeem(ticket)).toEqual({ ok: false, reason: "unknown" });
  });

  it("are refused once expired, and used up by that attempt", () => {
    const clock = new FakeClock();
    const store = createTicketStore({ clock, ttlMs: 60_000 });
    const { ticket } = store.mint("s1", alice);
    clock.advance(60_000);
    expect(store.redeem(ticket)).toEqual({ ok: false, reason: "expired" });
    expect(store.size()).toBe(0);
  });

  it("are revoked with their session", () => {
    const store = createTicketStore({ clock: new FakeClock(), ttlMs: 60_000 });
    const first = store.mint("s1", alice);
    const other = store.mint("s2", alice);
    store.revokeSession("s1");
    expect(store.redeem(first.ticket).ok).toBe(false);
    expect(store.redeem(other.ticket).ok).toBe(true);
  });

  it("keep a bounded number per session, dropping the oldest", () => {
    const store = createTicketStore({ clock: new FakeClock(), ttlMs: 60_000 });
    const grants = Array.from({ length: 10 }, () => store.mint("s1", alice));
    expect(store.size()).toBe(8);
    expect(store.redeem(grants[0]?.ticket ?? "").ok).toBe(false);
    expect(store.redeem(grants[9]?.ticket ?? "").ok).toBe(true);
  });

  it("sweeps expired tickets when minting", () => {
    const clock = new FakeClock();
    const store = createTicketStore({ clock, ttlMs: 1_000 });
    store.mint("s1", alice);
    clock.advance(1_000);
    store.mint("s2", alice);
    expect(store.size()).toBe(1);
  });
});

describe("agent tokens", () => {
  it("are 256 random bits kept only as a sha256 digest", () => {
    const credential = mintAgentToken();
    expect(Buffer.from(credential.token, "base64url")).toHaveLength(32);
    expect(credential.digest).toHaveLength(32);
    expect(credential.digest.toString("utf8")).not.toContain(credential.token);
  });

  it("match only themselves", () => {
    const credential = mintAgentToken();
    expect(agentTokenMatches(credential.token, credential.digest)).toBe(true);
    expect(agentTokenMatches(mintAgentToken().token, credential.digest)).toBe(false);
    expect(agentTokenMatches("", credential.digest)).toBe(false);
  });
});
