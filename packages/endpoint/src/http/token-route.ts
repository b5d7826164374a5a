import { AuthbridgeError, audienceNotSupportedMessage, type Allowlist } from "@authbridge/protocol";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { TokenSource } from "../agent/relay-agent.js";
import type { TokenCache } from "../cache/token-cache.js";
import { systemClock, type Clock } from "../clock.js";
import { silentLogger } from "../logger.js";
import { MESSAGES } from "../messages.js";
import { NO_METRICS, type TokenMetrics } from "../metrics.js";
import { readBody } from "./read-form.js";
import { checkMetadata, checkMethod, checkOrigin } from "./request-checks.js";
import { sendError, sendJson, toAuthbridgeError, tokenResponseBody } from "./responses.js";
import { parseTokenParams } from "./token-params.js";
import { matchTokenRoute, splitUrl } from "./token-paths.js";

export const DEFAULT_MAX_BODY_BYTES = 8 * 1024;
/** How long a client may take to send its (tiny) form body. */
export const DEFAULT_BODY_TIMEOUT_MS = 10_000;
const LOGGED_RESOURCE_LENGTH = 256;

export interface TokenHandlerDeps {
  cache: TokenCache;
  allowlist: Allowlist;
  tokens: TokenSource;
  clock?: Clock;
  logger?: Logger;
  maxBodyBytes?: number;
  bodyTimeoutMs?: number;
  /** Counters only; default none. */
  metrics?: TokenMetrics;
}

/** A plain `node:http` handler for both token dialects; needs no framework. */
export type TokenHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The token routes: `POST /oauth2/token` (Cloud Shell) and
 * `GET /metadata/identity/oauth2/token` (IMDS). Checks run in a fixed order
 * before any work: Host, X-Forwarded-For, method, Metadata, body size, form
 * fields, allowlist; only then the cache and, on a miss, the relay.
 */
export function createTokenHandler(deps: TokenHandlerDeps): TokenHandler {
  const { cache, allowlist, tokens } = deps;
  const clock = deps.clock ?? systemClock;
  const log = (deps.logger ?? silentLogger()).child({ component: "token-route" });
  const metrics = deps.metrics ?? NO_METRICS;
  const readOptions = { maxBytes: deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, timeoutMs: deps.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS };

  function refuse(res: ServerResponse, error: AuthbridgeError, started: number, resource: string | undefined, close: boolean, allow?: string): void {
    sendError(res, error, { close, ...(allow === undefined ? {} : { headers: { allow } }) });
    metrics.outcome(error.code);
    const level = error.status >= 500 ? "warn" : "info";
    log[level]({ resource: forLog(resource), outcome: error.code, status: error.status, ms: elapsed(started) }, "token request refused");
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const { pathname, query } = splitUrl(req.url ?? "/");
    const route = matchTokenRoute(pathname);
    if (route === undefined) {
      refuse(res, new AuthbridgeError("NotFound", MESSAGES.NotFound), started, undefined, hasBody(req));
      return;
    }
    const early = checkOrigin(req) ?? checkMethod(req, route) ?? checkMetadata(req);
    if (early !== undefined) {
      refuse(res, early, started, undefined, hasBody(req), early.code === "MethodNotAllowed" ? route.method : undefined);
      return;
    }

    let resource: string | undefined;
    try {
      const params = parseTokenParams(route, query, await readBody(req, readOptions));
      if (params instanceof AuthbridgeError) {
        refuse(res, params, started, undefined, false);
        return;
      }
      resource = params.resource;
      if (!allowlist.has(resource)) {
        refuse(res, new AuthbridgeError("AudienceNotSupported", audienceNotSupportedMessage(resource, allowlist)), started, resource, false);
        return;
      }
      const wanted = resource;
      // A hit is answered without another await (the common case: one per client run).
      const hit = cache.peek(wanted);
      const lookup = hit ?? (await cache.get(wanted, () => tokens.requestToken(wanted)));
      sendJson(res, 200, tokenResponseBody(lookup.token, lookup.receivedAt, wanted, clock.now()));
      metrics.outcome("ok");
      if (hit !== undefined) {
        metrics.cacheHit();
        if (log.isLevelEnabled("debug")) log.debug({ resource: forLog(wanted), outcome: "ok", cached: true, ms: elapsed(started) }, "token served");
      } else {
        metrics.roundTrip(performance.now() - started);
        log.info({ resource: forLog(wanted), outcome: "ok", cached: false, ms: elapsed(started) }, "token served");
      }
    } catch (thrown) {
      const error = toAuthbridgeError(thrown);
      if (error.code === "Internal") log.error({ err: thrown }, "token request failed");
      refuse(res, error, started, resource, error.code === "PayloadTooLarge" || error.status === 408);
    }
  }

  return (req, res) => {
    handle(req, res).catch((thrown: unknown) => {
      log.error({ err: thrown }, "token handler crashed");
      sendError(res, toAuthbridgeError(thrown), { close: true });
    });
  };
}

/** A body that was not read must not hold a keep-alive connection. */
function hasBody(req: IncomingMessage): boolean {
  const length = req.headers["content-length"];
  return req.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}

function forLog(resource: string | undefined): string | undefined {
  return resource === undefined || resource.length <= LOGGED_RESOURCE_LENGTH ? resource : `${resource.slice(0, LOGGED_RESOURCE_LENGTH)}…`;
}
