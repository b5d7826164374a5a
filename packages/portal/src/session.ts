import { parsePortalToConsoleMessage, POST_MESSAGE_CHANNEL, PROTOCOL_VERSION, type ConnectMessage } from "@authbridge/protocol";
import { RelayApiError, type RelayApi } from "./relay-api.js";

/**
 * `[data-testid="session-state"]`'s `data-state`:
 * `none` (no session yet), `starting` (POST /api/sessions in flight),
 * `ready` (console embedded), `ended` (deleted or gone), `error`.
 */
export type SessionState = "none" | "starting" | "ready" | "ended" | "error";

export interface SessionView {
  readonly state: SessionState;
  readonly sessionId?: string;
  readonly consoleUrl?: string;
  readonly endpointUrl?: string;
  readonly error?: string;
}

/** A session answer's ticket is used for the first `ready` only while it has this much life left. */
export const TICKET_REUSE_MARGIN_MS = 5_000;

/** What the portal remembers across a reload of the tab (no secret: the id is useless without the user's token). */
export interface RememberedSession {
  readonly sessionId: string;
  readonly consoleUrl: string;
}

/** Where the remembered session lives (sessionStorage in the page: per tab, gone with the tab). */
export interface SessionMemory {
  load(): RememberedSession | null;
  save(session: RememberedSession | null): void;
}

export interface SessionControllerDeps {
  readonly api: RelayApi;
  readonly relayWsUrl: string;
  readonly consoleOrigin: string;
  readonly now: () => number;
  /** Posts to the console iframe; the controller always passes `consoleOrigin`. */
  readonly postToConsole: (message: ConnectMessage, targetOrigin: string) => void;
  readonly onChange: (view: SessionView) => void;
  /** Lets a reloaded tab re-attach to its session instead of piling up new ones. */
  readonly memory?: SessionMemory;
}

export interface SessionController {
  /** Re-attaches to the remembered session if the relay still has it, else creates one (from `none`, `ended` or `error`). */
  start(): Promise<void>;
  /** The console posted `ready`: hand it a ticket. */
  onConsoleReady(): Promise<void>;
  /** DELETE the session. */
  end(): Promise<void>;
  view(): SessionView;
}

function describe(error: unknown): string {
  if (error instanceof RelayApiError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : "Unexpected error.";
}

/** Owns one relay session at a time: create, hand out tickets, end. */
export function createSessionController(deps: SessionControllerDeps): SessionController {
  let view: SessionView = { state: "none" };
  /** The ticket from the session answer, used for the first `ready` only. */
  let firstTicket: { ticket: string; expiresAt: number } | null = null;
  /** Bumped per session so answers about an old session are dropped. */
  let generation = 0;

  function set(next: SessionView): void {
    view = next;
    deps.onChange(view);
  }
  function fail(error: unknown, mine: number): void {
    if (mine !== generation) return;
    const { sessionId, consoleUrl, endpointUrl } = view;
    set({
      state: "error",
      error: describe(error),
      ...(sessionId === undefined ? {} : { sessionId }),
      ...(consoleUrl === undefined ? {} : { consoleUrl }),
      ...(endpointUrl === undefined ? {} : { endpointUrl }),
    });
  }
  function ended(mine: number): void {
    if (mine !== generation) return;
    firstTicket = null;
    deps.memory?.save(null);
    const { sessionId, consoleUrl } = view;
    set({ state: "ended", ...(sessionId === undefined ? {} : { sessionId }), ...(consoleUrl === undefined ? {} : { consoleUrl }) });
  }

  return {
    async start() {
      if (view.state === "starting" || view.state === "ready") return;
      const mine = ++generation;
      firstTicket = null;
      set({ state: "starting" });
      try {
        const remembered = deps.memory?.load() ?? null;
        if (remembered !== null && new URL(remembered.consoleUrl).origin === deps.consoleOrigin) {
          const info = await deps.api.getSession(remembered.sessionId).catch((error: unknown) => {
            // 404: the session ended meanwhile (or is not this user's); start a new one.
            if (error instanceof RelayApiError && error.status === 404) return null;
            throw error;
          });
          if (mine !== generation) return;
          if (info !== null) {
            // The first `ready` mints a ticket: the old tab's ticket was used up.
            set({
              state: "ready",
              sessionId: info.sessionId,
              consoleUrl: remembered.consoleUrl,
              ...(info.endpointUrl === undefined ? {} : { endpointUrl: info.endpointUrl }),
            });
            return;
          }
          deps.memory?.save(null);
        }
        const answer = await deps.api.createSession();
        if (mine !== generation) return;
        if (new URL(answer.consoleUrl).origin !== deps.consoleOrigin) {
          set({ state: "error", sessionId: answer.sessionId, error: `The relay's console URL is not on the console origin ${deps.consoleOrigin}.` });
          return;
        }
        firstTicket = { ticket: answer.ticket, expiresAt: Date.parse(answer.expiresAt) };
        deps.memory?.save({ sessionId: answer.sessionId, consoleUrl: answer.consoleUrl });
        set({
          state: "ready",
          sessionId: answer.sessionId,
          consoleUrl: answer.consoleUrl,
          ...(answer.endpointUrl === undefined ? {} : { endpointUrl: answer.endpointUrl }),
        });
      } catch (error) {
        fail(error, mine);
      }
    },

    async onConsoleReady() {
      const mine = generation;
      const { state, sessionId, consoleUrl, endpointUrl } = view;
      // `error` too: a console that lost the relay keeps asking, and a ticket that works heals the session.
      if ((state !== "ready" && state !== "error") || sessionId === undefined || consoleUrl === undefined) return;
      let ticket: string;
      if (firstTicket !== null && deps.now() < firstTicket.expiresAt - TICKET_REUSE_MARGIN_MS) {
        ticket = firstTicket.ticket;
        firstTicket = null;
      } else {
        firstTicket = null;
        try {
          ticket = (await deps.api.mintTicket(sessionId)).ticket;
        } catch (error) {
          if (error instanceof RelayApiError && error.status === 404) ended(mine);
          else fail(error, mine);
          return;
        }
        if (mine !== generation || (view.state !== "ready" && view.state !== "error")) return;
      }
      const message: ConnectMessage = { channel: POST_MESSAGE_CHANNEL, v: PROTOCOL_VERSION, type: "connect", relayUrl: deps.relayWsUrl, ticket };
      if (!parsePortalToConsoleMessage(message).ok) {
        fail(new Error("The relay issued a ticket the console cannot accept."), mine);
        return;
      }
      if (view.state === "error") set({ state: "ready", sessionId, consoleUrl, ...(endpointUrl === undefined ? {} : { endpointUrl }) });
      deps.postToConsole(message, deps.consoleOrigin);
    },

    async end() {
      const { sessionId } = view;
      if (sessionId === undefined || view.state === "ended" || view.state === "starting") return;
      const mine = generation;
      try {
        await deps.api.endSession(sessionId);
      } catch (error) {
        if (!(error instanceof RelayApiError && error.status === 404)) {
          fail(error, mine);
          return;
        }
      }
      ended(mine);
    },

    view: () => view,
  };
}
