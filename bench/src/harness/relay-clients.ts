import { AGENT_SESSION_HEADER, PROTOCOL_VERSION, RELAY_AGENT_PATH, RELAY_BROWSER_PATH, RELAY_SUBPROTOCOL, TICKET_SUBPROTOCOL_PREFIX } from "@authbridge/protocol";
import { WebSocket } from "ws";
import { z } from "zod";
import { frameText } from "./frame-traffic.js";

/** The console origin the bench relay allows (nothing listens there). */
export const BENCH_CONSOLE_ORIGIN = "http://127.0.0.1:9";

const sessionCreated = z.object({ sessionId: z.string(), ticket: z.string() });
const welcome = z.object({ type: z.literal("welcome") });

export interface CreatedSession {
  sessionId: string;
  ticket: string;
}

/** `POST /api/sessions` with the user's JWT, through the relay's real API. */
export async function createSession(relayUrl: string, userToken: string): Promise<CreatedSession> {
  const response = await fetch(`${relayUrl}/api/sessions`, { method: "POST", headers: { authorization: `Bearer ${userToken}` } });
  const body: unknown = await response.json();
  if (response.status !== 201) throw new Error(`POST /api/sessions answered ${response.status}: ${JSON.stringify(body)}`);
  return sessionCreated.parse(body);
}

function wsBase(relayUrl: string): string {
  return relayUrl.replace(/^http/, "ws");
}

/** Opens the agent socket (agent token + session header) and completes hello/welcome. */
export function connectAgent(relayUrl: string, sessionId: string, agentToken: string, localAddress?: string): Promise<WebSocket> {
  const socket = new WebSocket(`${wsBase(relayUrl)}${RELAY_AGENT_PATH}`, {
    headers: { authorization: `Bearer ${agentToken}`, [AGENT_SESSION_HEADER]: sessionId },
    perMessageDeflate: false,
    ...(localAddress === undefined ? {} : { localAddress }),
  });
  return greet(socket, "agent");
}

/** Opens the browser socket the way the console does (Origin + ticket sub-protocol) and completes hello/welcome. */
export function connectBrowser(relayUrl: string, ticket: string, localAddress?: string): Promise<WebSocket> {
  const socket = new WebSocket(`${wsBase(relayUrl)}${RELAY_BROWSER_PATH}`, [RELAY_SUBPROTOCOL, `${TICKET_SUBPROTOCOL_PREFIX}${ticket}`], {
    origin: BENCH_CONSOLE_ORIGIN,
    perMessageDeflate: false,
    ...(localAddress === undefined ? {} : { localAddress }),
  });
  return greet(socket, "browser");
}

function greet(socket: WebSocket, role: "agent" | "browser"): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`${role}: no welcome within 30 s`)), 30_000);
    function fail(error: Error): void {
      clearTimeout(timer);
      socket.terminate();
      reject(error);
    }
    socket.once("error", fail);
    socket.once("unexpected-response", (_req, res) => fail(new Error(`${role} upgrade refused with HTTP ${res.statusCode}`)));
    socket.once("open", () => socket.send(JSON.stringify({ v: PROTOCOL_VERSION, type: "hello", role, protocol: PROTOCOL_VERSION })));
    socket.once("message", (data) => {
      clearTimeout(timer);
      socket.off("error", fail);
      const parsed = welcome.safeParse(JSON.parse(frameText(data)));
      if (!parsed.success) reject(new Error(`${role}: expected welcome, got another frame`));
      else resolve(socket);
    });
  });
}
