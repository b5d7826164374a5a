import { RELAY_AGENT_PATH, RELAY_BROWSER_PATH, RELAY_SUBPROTOCOL, TICKET_SUBPROTOCOL_PREFIX } from "@authbridge/protocol";
import { pino } from "pino";
import { afterEach } from "vitest";
import { startRelay, type LaunchContext, type LaunchedAgent, type Launcher, type Relay, type RelayOptions } from "../../src/index.js";
import { AUDIENCE, ISSUER, startTestAuthority, TLS_CA, type TestAuthority, type UserTokenOptions } from "./authority.js";
import { FrameSocket, refusedUpgrade, type Refusal } from "./frame-socket.js";

export const CONSOLE_ORIGIN = "http://127.0.0.1:5173";
export const PORTAL_ORIGIN = "http://localhost:5174";
export const CONSOLE_URL = `${CONSOLE_ORIGIN}/console/`;

/** A clock the test moves by hand. */
export class FakeClock {
  constructor(public time = Date.now()) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

/** Records launches; lets a test fail them, stop them and make agents exit. */
export class FakeLauncher implements Launcher {
  readonly contexts: LaunchContext[] = [];
  readonly stopped: string[] = [];
  failWith: Error | undefined;
  endpointUrl: string | undefined = "http://127.0.0.1:50342";
  readonly #exitListeners = new Map<string, ((code: number | null) => void)[]>();

  launch(context: LaunchContext): Promise<LaunchedAgent> {
    if (this.failWith !== undefined) return Promise.reject(this.failWith);
    this.contexts.push(context);
    const listeners: ((code: number | null) => void)[] = [];
    this.#exitListeners.set(context.sessionId, listeners);
    const agent: LaunchedAgent = {
      stop: () => {
        this.stopped.push(context.sessionId);
        return Promise.resolve();
      },
      onExit: (listener) => void listeners.push(listener),
    };
    if (this.endpointUrl !== undefined) agent.endpointUrl = this.endpointUrl;
    return Promise.resolve(agent);
  }

  context(sessionId: string): LaunchContext {
    const context = this.contexts.find((candidate) => candidate.sessionId === sessionId);
    if (context === undefined) throw new Error(`no launch for ${sessionId}`);
    return context;
  }

  exit(sessionId: string, code: number | null): void {
    for (const listener of this.#exitListeners.get(sessionId) ?? []) listener(code);
  }
}

export interface ApiResponse {
  status: number;
  body: unknown;
  headers: Headers;
}

export interface CreatedSession {
  sessionId: string;
  ticket: string;
  consoleUrl: string;
  expiresAt: string;
  endpointUrl?: string;
}

export interface TestRelay {
  relay: Relay;
  authority: TestAuthority;
  launcher: FakeLauncher;
  clock: FakeClock;
  token(options?: UserTokenOptions): Promise<string>;
  api(method: string, path: string, init?: { token?: string; origin?: string; headers?: Record<string, string>; body?: string }): Promise<ApiResponse>;
  createSession(token?: string): Promise<CreatedSession>;
  newTicket(sessionId: string, token?: string): Promise<string>;
  agent(sessionId: string, init?: { token?: string; hello?: boolean; autoPong?: boolean }): Promise<FrameSocket>;
  browser(ticket: string, init?: { origin?: string; hello?: boolean; autoPong?: boolean }): Promise<FrameSocket>;
  refuseAgent(headers: Record<string, string>): Promise<Refusal>;
  refuseBrowser(protocols: string[], origin?: string): Promise<Refusal>;
  close(): Promise<void>;
}

/**
 * One test relay per test: `start` starts it (remembering it), and an
 * `afterEach` registered here closes it. `current` is the running one.
 */
export function testRelayPerTest(): { start: (overrides?: Partial<RelayOptions>) => Promise<TestRelay>; current: () => TestRelay | undefined } {
  let running: TestRelay | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });
  return {
    async start(overrides = {}) {
      running = await startTestRelay(overrides);
      return running;
    },
    current: () => running,
  };
}

export async function startTestRelay(overrides: Partial<RelayOptions> = {}): Promise<TestRelay> {
  const authority = await startTestAuthority();
  const launcher = new FakeLauncher();
  const clock = new FakeClock();
  const relay = await startRelay({
    auth: { issuer: ISSUER, audience: AUDIENCE, jwksUri: authority.jwksUri, tlsCa: TLS_CA },
    consoleUrl: CONSOLE_URL,
    allowedOrigins: [CONSOLE_ORIGIN],
    corsOrigins: [PORTAL_ORIGIN],
    launcher,
    clock,
    logger: pino({ level: "silent" }),
    ...overrides,
  });
  const sockets: FrameSocket[] = [];

  const api: TestRelay["api"] = async (method, path, init = {}) => {
    const headers: Record<string, string> = { ...init.headers };
    if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
    if (init.origin !== undefined) headers.origin = init.origin;
    const response = await fetch(`${relay.url}${path}`, { method, headers, ...(init.body === undefined ? {} : { body: init.body }) });
    const text = await response.text();
    const body: unknown = text === "" ? undefined : JSON.parse(text);
    return { status: response.status, body, headers: response.headers };
  };

  const test: TestRelay = {
    relay,
    authority,
    launcher,
    clock,
    token: (options) => authority.sign(options),
    api,
    async createSession(token) {
      const response = await api("POST", "/api/sessions", { token: token ?? (await authority.sign()) });
      if (response.status !== 201) throw new Error(`session creation failed: ${response.status} ${JSON.stringify(response.body)}`);
      return asCreatedSession(response.body);
    },
    async newTicket(sessionId, token) {
      const response = await api("POST", `/api/sessions/${sessionId}/tickets`, { token: token ?? (await authority.sign()) });
      if (response.status !== 201) throw new Error(`ticket minting failed: ${response.status}`);
      const body = response.body;
      if (typeof body !== "object" || body === null || !("ticket" in body) || typeof body.ticket !== "string") throw new Error("no ticket");
      return body.ticket;
    },
    async agent(sessionId, init = {}) {
      const socket = await FrameSocket.open(`${relay.wsUrl}${RELAY_AGENT_PATH}`, [], {
        headers: { authorization: `Bearer ${init.token ?? launcher.context(sessionId).agentToken}`, "x-authbridge-session": sessionId },
        autoPong: init.autoPong ?? true,
      });
      sockets.push(socket);
      if (init.hello !== false) {
        socket.hello("agent");
        await socket.next(); // welcome
      }
      return socket;
    },
    async browser(ticket, init = {}) {
      const socket = await FrameSocket.open(`${relay.wsUrl}${RELAY_BROWSER_PATH}`, [RELAY_SUBPROTOCOL, `${TICKET_SUBPROTOCOL_PREFIX}${ticket}`], {
        origin: init.origin ?? CONSOLE_ORIGIN,
        autoPong: init.autoPong ?? true,
      });
      sockets.push(socket);
      if (init.hello !== false) {
        socket.hello("browser");
        await socket.next(); // welcome
      }
      return socket;
    },
    refuseAgent: (headers) => refusedUpgrade(`${relay.wsUrl}${RELAY_AGENT_PATH}`, [], { headers }),
    refuseBrowser: (protocols, origin) => refusedUpgrade(`${relay.wsUrl}${RELAY_BROWSER_PATH}`, protocols, origin === undefined ? {} : { origin }),
    async close() {
      for (const socket of sockets) socket.ws.terminate();
      await relay.close();
      await authority.close();
    },
  };
  return test;
}

function asCreatedSession(body: unknown): CreatedSession {
  if (typeof body !== "object" || body === null) throw new Error("no body");
  const field = (name: string): string => {
    const value: unknown = Reflect.get(body, name);
    if (typeof value !== "string") throw new Error(`${name} missing`);
    return value;
  };
  const created: CreatedSession = { sessionId: field("sessionId"), ticket: field("ticket"), consoleUrl: field("consoleUrl"), expiresAt: field("expiresAt") };
  if ("endpointUrl" in body) created.endpointUrl = field("endpointUrl");
  return created;
}

/** `{ ticket }` protocols as a browser offers them. */
export function browserProtocols(ticket: string): string[] {
  return [RELAY_SUBPROTOCOL, `${TICKET_SUBPROTOCOL_PREFIX}${ticket}`];
}
