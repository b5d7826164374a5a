import { describeParseError, parseWith } from "@authbridge/protocol";
import { z } from "zod";

/** A relay API failure with its stable code (the relay's `{"error":{"code"}}` when it sent one). */
export class RelayApiError extends Error {
  readonly code: string;
  readonly status: number;

  constructor(code: string, message: string, status: number, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "RelayApiError";
    this.code = code;
    this.status = status;
  }
}

const isoDate = z.string().refine((v) => Number.isFinite(Date.parse(v)), "must be an ISO 8601 date");
const ticket = z.string().min(1).max(256);

export const sessionAnswerSchema = z.object({
  sessionId: z.string().min(1).max(128),
  consoleUrl: z.string().url(),
  ticket,
  expiresAt: isoDate,
  endpointUrl: z.string().url().optional(),
});
export type SessionAnswer = z.infer<typeof sessionAnswerSchema>;

export const ticketAnswerSchema = z.object({ ticket, expiresAt: isoDate });
export type TicketAnswer = z.infer<typeof ticketAnswerSchema>;

export const sessionInfoSchema = z.object({
  sessionId: z.string().min(1).max(128),
  agent: z.boolean(),
  browser: z.boolean(),
  endpointUrl: z.string().url().optional(),
});
export type SessionInfo = z.infer<typeof sessionInfoSchema>;
const errorAnswerSchema = z.object({ error: z.object({ code: z.string().min(1).max(64), message: z.string().max(2048) }) });

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface RelayApiDeps {
  /** `relayApiUrl` without a trailing slash. */
  readonly baseUrl: string;
  readonly fetch: FetchLike;
  /** A bearer token for the relay's audience. */
  readonly getAccessToken: () => Promise<string>;
}

export interface RelayApi {
  createSession(): Promise<SessionAnswer>;
  mintTicket(sessionId: string): Promise<TicketAnswer>;
  getSession(sessionId: string): Promise<SessionInfo>;
  endSession(sessionId: string): Promise<void>;
}

/** The relay's HTTP API (docs/CONTRACTS.md) with every answer validated. */
export function createRelayApi(deps: RelayApiDeps): RelayApi {
  async function call(method: string, path: string): Promise<Response> {
    let token: string;
    try {
      token = await deps.getAccessToken();
    } catch (error) {
      const reason = error instanceof Error ? error.message : "unknown error";
      throw new RelayApiError("Unauthorized", `Could not get a token for the relay (${reason}). Sign in again.`, 401, { cause: error });
    }
    let response: Response;
    try {
      response = await deps.fetch(`${deps.baseUrl}${path}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, Accept: "application/json" },
        credentials: "omit",
        cache: "no-store",
      });
    } catch (error) {
      throw new RelayApiError("RelayUnavailable", "The relay could not be reached.", 503, { cause: error });
    }
    if (!response.ok) throw await errorFrom(response);
    return response;
  }

  async function json<T>(response: Response, schema: z.ZodType<T>, what: string): Promise<T> {
    let data: unknown;
    try {
      data = await response.json();
    } catch {
      throw new RelayApiError("ProtocolError", `The relay's ${what} answer is not JSON.`, 502);
    }
    const parsed = parseWith(schema, data);
    if (!parsed.ok) throw new RelayApiError("ProtocolError", `The relay's ${what} answer is invalid: ${describeParseError(parsed.error)}`, 502);
    return parsed.value;
  }

  const sessionPath = (sessionId: string) => `/api/sessions/${encodeURIComponent(sessionId)}`;

  return {
    async createSession() {
      return json(await call("POST", "/api/sessions"), sessionAnswerSchema, "session");
    },
    async mintTicket(sessionId) {
      return json(await call("POST", `${sessionPath(sessionId)}/tickets`), ticketAnswerSchema, "ticket");
    },
    async getSession(sessionId) {
      return json(await call("GET", sessionPath(sessionId)), sessionInfoSchema, "session info");
    },
    async endSession(sessionId) {
      await call("DELETE", sessionPath(sessionId));
    },
  };
}

async function errorFrom(response: Response): Promise<RelayApiError> {
  let data: unknown;
  try {
    data = await response.json();
  } catch {
    data = undefined;
  }
  const parsed = parseWith(errorAnswerSchema, data);
  if (parsed.ok) return new RelayApiError(parsed.value.error.code, parsed.value.error.message, response.status);
  const code = response.status >= 500 ? "RelayUnavailable" : "ProtocolError";
  return new RelayApiError(code, `The relay answered HTTP ${response.status}.`, response.status);
}
