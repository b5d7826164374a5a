import { createAllowlist, DEFAULT_ALLOWLIST } from "@authbridge/protocol";
import { createServer, type Server } from "node:http";
import { createTokenCache, createTokenHandler, type TokenSource } from "../../src/index.js";
import type { FakeClock } from "./fake-clock.js";
import { closeServer, listenOnFreePort } from "./listening.js";

export interface TokenServer {
  port: number;
  close(): Promise<void>;
}

/** The bare token handler on a `node:http` server, as a benchmark would run it. */
export async function startTokenServer(deps: { tokens: TokenSource; clock: FakeClock; allowlist?: readonly string[]; maxBodyBytes?: number; bodyTimeoutMs?: number }): Promise<TokenServer> {
  const handler = createTokenHandler({
    cache: createTokenCache({ clock: deps.clock }),
    allowlist: createAllowlist(deps.allowlist ?? DEFAULT_ALLOWLIST),
    tokens: deps.tokens,
    clock: deps.clock,
    ...(deps.maxBodyBytes === undefined ? {} : { maxBodyBytes: deps.maxBodyBytes }),
    ...(deps.bodyTimeoutMs === undefined ? {} : { bodyTimeoutMs: deps.bodyTimeoutMs }),
  });
  const server: Server = createServer({ requireHostHeader: false }, handler);
  const port = await listenOnFreePort(server);
  return { port, close: () => closeServer(server) };
}
