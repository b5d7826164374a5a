import { encodeFrame, parseAgentFrameText, type AgentFrame, type RelayFrame, type TokenRequestFrame } from "@authbridge/protocol";
import type { IncomingHttpHeaders } from "node:http";
import { WebSocket, WebSocketServer } from "ws";

export type TokenAnswer = RelayFrame | string | undefined;

export interface FakeRelayOptions {
  /** Whether a browser is attached when the agent arrives. Default true. */
  peer?: boolean;
  sessionId?: string;
  /** Answer `token.request` frames (return undefined to stay silent). */
  answer?: (request: TokenRequestFrame) => TokenAnswer | Promise<TokenAnswer>;
}

export interface FakeRelay {
  /** `ws://127.0.0.1:<port>/ws/agent` */
  url: string;
  /** Handshake headers of every agent connection, in order. */
  readonly handshakes: IncomingHttpHeaders[];
  /** Sub-protocols offered by each connection. */
  readonly protocols: string[][];
  /** Every valid frame received from agents. */
  readonly frames: AgentFrame[];
  /** Raw texts that failed the agent-frame parser (should stay empty). */
  readonly invalid: string[];
  readonly tokenRequests: TokenRequestFrame[];
  peer: boolean;
  /** The current agent socket. */
  agent(): WebSocket | undefined;
  /** Sends a frame (or raw text) to the current agent. */
  send(frame: RelayFrame | string): void;
  setPeer(attached: boolean): void;
  /** Drops the agent abruptly (as a crashing relay would). */
  dropAgent(): void;
  /** Ends the session: close code 4000. */
  endSession(): void;
  setAnswer(answer: FakeRelayOptions["answer"]): void;
  /** Refuses every later agent upgrade with this HTTP status (undefined: accept again). */
  refuseWith(status: number | undefined): void;
  /** Upgrades refused so far. */
  readonly refused: number;
  close(): Promise<void>;
}

/** A stand-in relay: a real `ws` server speaking the agent side of protocol v1. */
export async function startFakeRelay(options: FakeRelayOptions = {}): Promise<FakeRelay> {
  const sessionId = options.sessionId ?? "session-1";
  let answer = options.answer;
  let current: WebSocket | undefined;
  let refuseStatus: number | undefined;
  let refused = 0;
  const handshakes: IncomingHttpHeaders[] = [];
  const protocols: string[][] = [];
  const frames: AgentFrame[] = [];
  const invalid: string[] = [];
  const tokenRequests: TokenRequestFrame[] = [];

  const wss = new WebSocketServer({
    host: "127.0.0.1",
    port: 0,
    path: "/ws/agent",
    handleProtocols: (offered) => (offered.has("authbridge.v1") ? "authbridge.v1" : false),
    verifyClient: (_info, callback) => {
      if (refuseStatus === undefined) return callback(true);
      refused += 1;
      callback(false, refuseStatus);
    },
  });
  await new Promise<void>((resolve) => wss.once("listening", resolve));
  const address = wss.address();
  if (address === null || typeof address === "string") throw new Error("unexpected address");

  const relay: FakeRelay = {
    url: `ws://127.0.0.1:${address.port}/ws/agent`,
    handshakes,
    protocols,
    frames,
    invalid,
    tokenRequests,
    peer: options.peer ?? true,
    agent: () => current,
    send(frame) {
      current?.send(typeof frame === "string" ? frame : encodeFrame(frame));
    },
    setPeer(attached) {
      relay.peer = attached;
      relay.send({ v: 1, type: "peer", state: attached ? "connected" : "disconnected" });
    },
    dropAgent() {
      current?.terminate();
    },
    endSession() {
      current?.close(4000, "session ended");
    },
    setAnswer(next) {
      answer = next;
    },
    refuseWith(status) {
      refuseStatus = status;
    },
    get refused() {
      return refused;
    },
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };

  wss.on("connection", (ws, req) => {
    handshakes.push(req.headers);
    protocols.push((req.headers["sec-websocket-protocol"] ?? "").split(",").map((p) => p.trim()));
    current = ws;
    ws.on("message", (data, isBinary) => {
      if (isBinary) return;
      const text = Array.isArray(data) ? Buffer.concat(data).toString() : Buffer.isBuffer(data) ? data.toString() : Buffer.from(data).toString();
      const parsed = parseAgentFrameText(text);
      if (!parsed.ok) {
        invalid.push(text);
        return;
      }
      const frame = parsed.value;
      frames.push(frame);
      if (frame.type === "hello") {
        ws.send(encodeFrame({ v: 1, type: "welcome", sessionId, peer: relay.peer }));
      } else if (frame.type === "token.request") {
        tokenRequests.push(frame);
        void Promise.resolve(answer?.(frame)).then((reply) => {
          if (reply !== undefined && ws.readyState === WebSocket.OPEN) ws.send(typeof reply === "string" ? reply : encodeFrame(reply));
        });
      }
    });
  });
  return relay;
}

/** A successful `token.response` for `request`. */
export function okResponse(request: TokenRequestFrame, token: { accessToken?: string; expiresOn: number; notBefore?: number }): RelayFrame {
  return {
    v: 1,
    type: "token.response",
    id: request.id,
    ok: true,
    token: {
      accessToken: token.accessToken ?? "eyJ.fake.token",
      expiresOn: token.expiresOn,
      ...(token.notBefore === undefined ? {} : { notBefore: token.notBefore }),
      tokenType: "Bearer",
      resource: request.resource,
    },
  };
}
