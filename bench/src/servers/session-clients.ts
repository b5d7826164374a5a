/**
 * Child process holding the simulated agents and browsers of the sessions
 * scenario, so their memory is not counted in the relay's. On
 * { type: "open", url, userToken, count } it creates `count` more sessions
 * through the relay's API and pairs each (agent + browser, both said hello),
 * `BENCH_CONCURRENCY` at a time; agent tokens arrive as { type: "launched" }
 * messages forwarded by the bench. Answers { type: "paired", total }.
 */
import type { WebSocket } from "ws";
import { z } from "zod";
import { launchedMessage } from "../harness/messages.js";
import { connectAgent, connectBrowser, createSession } from "../harness/relay-clients.js";

const openMessage = z.object({ type: z.literal("open"), url: z.string(), userToken: z.string(), count: z.number().int().nonnegative() });
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? "32");

const sockets: WebSocket[] = [];
const agentTokens = new Map<string, string>();
const waiting = new Map<string, (token: string) => void>();

function agentTokenFor(sessionId: string): Promise<string> {
  const known = agentTokens.get(sessionId);
  if (known !== undefined) {
    agentTokens.delete(sessionId);
    return Promise.resolve(known);
  }
  return new Promise((resolve) => waiting.set(sessionId, resolve));
}

async function pairOne(url: string, userToken: string): Promise<void> {
  const session = await createSession(url, userToken);
  const agentToken = await agentTokenFor(session.sessionId);
  sockets.push(await connectAgent(url, session.sessionId, agentToken));
  sockets.push(await connectBrowser(url, session.ticket));
}

async function open(url: string, userToken: string, count: number): Promise<void> {
  let remaining = count;
  const worker = async (): Promise<void> => {
    while (remaining > 0) {
      remaining -= 1;
      await pairOne(url, userToken);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

process.on("message", (message: unknown) => {
  const launched = launchedMessage.safeParse(message);
  if (launched.success) {
    const { sessionId, agentToken } = launched.data;
    const resolve = waiting.get(sessionId);
    if (resolve === undefined) agentTokens.set(sessionId, agentToken);
    else {
      waiting.delete(sessionId);
      resolve(agentToken);
    }
    return;
  }
  const request = openMessage.safeParse(message);
  if (!request.success) return;
  open(request.data.url, request.data.userToken, request.data.count).then(
    () => process.send?.({ type: "paired", total: sockets.length / 2 }),
    (error: unknown) => process.send?.({ type: "failed", message: error instanceof Error ? error.message : String(error) }),
  );
});
process.on("SIGTERM", () => {
  for (const socket of sockets) socket.terminate();
  process.exit(0);
});
process.send?.({ type: "ready", url: "" });
