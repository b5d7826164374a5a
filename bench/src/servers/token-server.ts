/**
 * Child process for the cache-hit scenario: serves either the endpoint's real
 * token server (the same composition as startEndpoint, with a primed cache and a
 * stub token source) or a bare node:http server that answers the same JSON.
 * Argument: "endpoint" | "bare". Sends { type: "ready", url } over IPC.
 */
import { createServer, type Server } from "node:http";
import { createAllowlist, DEFAULT_ALLOWLIST, type Token } from "@authbridge/protocol";
import { createAdminApp, createEndpointServer, createLogger, createTokenCache, createTokenHandler, systemClock } from "@authbridge/endpoint";
import { BENCH_RESOURCE, benchToken } from "../harness/fake-token.js";
import { answerCpuQueries } from "../harness/cpu.js";

answerCpuQueries();
const kind = process.argv[2];
const token: Token = benchToken();

function endpointServer(): Server {
  // The endpoint's own logger at its default level (cache hits log at debug, so nothing is written).
  const logger = createLogger({ level: "info" });
  const tokens = { requestToken: () => Promise.resolve(token) };
  const tokenHandler = createTokenHandler({ cache: createTokenCache({ clock: systemClock }), allowlist: createAllowlist(DEFAULT_ALLOWLIST), tokens, logger });
  const app = createAdminApp({ status: () => ({ relay: "connected" as const, browser: true }), logger });
  return createEndpointServer({ tokenHandler, app }).server;
}

/**
 * The baseline: what anyone would write for a static token proxy. It builds the
 * same JSON per request (expires_in changes) with a plain JSON.stringify, and
 * shares no code with the endpoint, so an endpoint optimisation cannot lift it.
 */
function bareServer(): Server {
  const notBefore = String(token.notBefore ?? Math.floor(Date.now() / 1000));
  return createServer((_req, res) => {
    const body = JSON.stringify({
      access_token: token.accessToken,
      refresh_token: "",
      expires_in: String(Math.max(0, token.expiresOn - Math.floor(Date.now() / 1000))),
      expires_on: String(token.expiresOn),
      not_before: notBefore,
      resource: BENCH_RESOURCE,
      token_type: "Bearer",
    });
    res.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body), "cache-control": "no-store" });
    res.end(body);
  });
}

const server = kind === "endpoint" ? endpointServer() : bareServer();
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("not listening on TCP");
  process.send?.({ type: "ready", url: `http://127.0.0.1:${address.port}` });
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
