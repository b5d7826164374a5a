import { AuthbridgeError } from "@authbridge/protocol";
import { Router, type Request } from "express";
import type { TicketGrant, TicketStore } from "../auth/tickets.js";
import type { RelayUser } from "../auth/user.js";
import type { UserVerifier } from "../auth/verify-user.js";
import type { Session } from "../sessions/session.js";
import type { SessionStore } from "../sessions/session-store.js";

export interface ApiDeps {
  verifier: UserVerifier;
  store: SessionStore;
  tickets: TicketStore;
  /** The console app; a session's consoleUrl is this with `?session=<id>`. */
  consoleUrl: string;
}

/**
 * `/api/*`: every route first verifies the user's bearer JWT. A session of
 * another user is answered exactly like a missing one (404).
 */
export function createApiRouter(deps: ApiDeps): Router {
  const { verifier, store, tickets } = deps;
  const router = Router();

  const userOf = (req: Request): Promise<RelayUser> => verifier.verify(req.headers.authorization);
  const ownedSession = (id: string, user: RelayUser): Session => {
    const session = store.findOwned(id, user);
    if (session === undefined) throw new AuthbridgeError("SessionNotFound", "no such session");
    return session;
  };

  router.use((_req, res, next) => {
    res.setHeader("Cache-Control", "no-store");
    next();
  });

  router.post("/sessions", async (req, res) => {
    const user = await userOf(req);
    const session = await store.open(user);
    const grant = tickets.mint(session.id, user);
    const body: Record<string, string> = {
      sessionId: session.id,
      consoleUrl: consoleUrlFor(deps.consoleUrl, session.id),
      ...ticketBody(grant),
    };
    if (session.endpointUrl !== undefined) body.endpointUrl = session.endpointUrl;
    res.status(201).json(body);
  });

  router.post("/sessions/:id/tickets", async (req, res) => {
    const user = await userOf(req);
    const session = ownedSession(req.params.id, user);
    res.status(201).json(ticketBody(tickets.mint(session.id, user)));
  });

  router.get("/sessions/:id", async (req, res) => {
    const user = await userOf(req);
    res.status(200).json(ownedSession(req.params.id, user).status());
  });

  router.delete("/sessions/:id", async (req, res) => {
    const user = await userOf(req);
    await ownedSession(req.params.id, user).end();
    res.status(204).end();
  });

  return router;
}

function ticketBody(grant: TicketGrant): { ticket: string; expiresAt: string } {
  return { ticket: grant.ticket, expiresAt: new Date(grant.expiresAt).toISOString() };
}

function consoleUrlFor(consoleUrl: string, sessionId: string): string {
  const url = new URL(consoleUrl);
  url.searchParams.set("session", sessionId);
  return url.toString();
}
