import { AuthbridgeError } from "@authbridge/protocol";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { MESSAGES } from "../messages.js";
import { isAppServicePath, type AppServiceHandler } from "./app-service-route.js";
import { createInFlight, type InFlight } from "./in-flight.js";
import { checkOrigin } from "./request-checks.js";
import { sendError } from "./responses.js";
import { matchTokenRoute, splitUrl } from "./token-paths.js";
import type { TokenHandler } from "./token-route.js";

/** Anything that handles a node request (an express app is one). */
export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

export interface EndpointServerDeps {
  tokenHandler: TokenHandler;
  /** The express app for every other path. */
  app: RequestListener;
  /** The opt-in App Service dialect (`GET /msi/token`); absent when disabled. */
  appService?: AppServiceHandler;
  /** Slowloris bound on headers; the token handler bounds bodies itself. */
  headersTimeoutMs?: number;
}

export interface EndpointServer {
  server: Server;
  inFlight: InFlight;
  /** From now on new requests get 503 `ShuttingDown` and connections close after their response. */
  beginShutdown: () => void;
}

/**
 * One `node:http` server: the token routes go straight to the plain token
 * handler (no middleware on the hot path), everything else to express after
 * the same Host and X-Forwarded-For checks.
 */
export function createEndpointServer(deps: EndpointServerDeps): EndpointServer {
  const inFlight = createInFlight();
  let shuttingDown = false;

  // requireHostHeader off: a missing Host gets our HostNotAllowed JSON, not node's bare 400.
  const server = createServer({ requireHostHeader: false }, (req, res) => {
    inFlight.track(res);
    if (shuttingDown) {
      sendError(res, new AuthbridgeError("ShuttingDown", MESSAGES.ShuttingDown), { close: true });
      return;
    }
    if (matchTokenRoute(splitUrl(req.url ?? "/").pathname) !== undefined) {
      deps.tokenHandler(req, res);
      return;
    }
    if (deps.appService !== undefined && isAppServicePath(splitUrl(req.url ?? "/").pathname)) {
      deps.appService(req, res);
      return;
    }
    const refused = checkOrigin(req);
    if (refused !== undefined) {
      sendError(res, refused);
      return;
    }
    deps.app(req, res);
  });
  server.headersTimeout = deps.headersTimeoutMs ?? 10_000;

  return {
    server,
    inFlight,
    beginShutdown() {
      shuttingDown = true;
      inFlight.closeConnectionsAfterResponses();
    },
  };
}
