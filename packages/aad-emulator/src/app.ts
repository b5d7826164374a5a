import express, { type Express, type NextFunction, type Request, type Response } from "express";
import type { Logger } from "pino";
import { createMockArmRouter } from "./arm/mock-arm.js";
import { createBearerVerifier } from "./arm/verify-bearer.js";
import type { ClientRegistry } from "./clients.js";
import type { Clock } from "./clock.js";
import type { CodeStore } from "./codes.js";
import type { Endpoints } from "./endpoints.js";
import type { FaultSwitches } from "./faults.js";
import { sendHtml } from "./http/html.js";
import type { SigningKeys } from "./keys.js";
import type { RefreshTokenStore } from "./refresh-tokens.js";
import { createAdminRouter } from "./routes/admin.js";
import { createAuthorizeRouter } from "./routes/authorize.js";
import { createLogoutRouter } from "./routes/logout.js";
import { createOpenIdRouter } from "./routes/openid.js";
import { renderHomePage } from "./routes/pages.js";
import { createTokenRouter } from "./routes/token.js";
import type { SessionStore } from "./sessions.js";
import type { StatsCounter } from "./stats.js";
import type { TokenIssuer } from "./tokens.js";
import type { UserDirectory } from "./users.js";

export interface AppDeps {
  endpoints: Endpoints;
  subscriptionId: string;
  keys: SigningKeys;
  clock: Clock;
  users: UserDirectory;
  clients: ClientRegistry;
  sessions: SessionStore;
  codes: CodeStore;
  refreshTokens: RefreshTokenStore;
  tokens: TokenIssuer;
  faults: FaultSwitches;
  stats: StatsCounter;
  logger: Logger;
  sleep(ms: number): Promise<void>;
}

const ARM_PATH = /^\/(subscriptions|tenants)(\/|$)/i;

function statusOf(error: unknown): number {
  if (typeof error === "object" && error !== null && "status" in error && typeof error.status === "number" && error.status >= 400 && error.status < 600) {
    return error.status;
  }
  return 500;
}

/** The emulator's routes: admin API, mock ARM, Entra ID v2 endpoints, and a home page. */
export function createApp(deps: AppDeps): Express {
  const { endpoints, logger } = deps;
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);

  app.use((req, res, next) => {
    const started = performance.now();
    res.on("finish", () => {
      // The path only: query strings and bodies may carry codes, hints and tokens.
      logger.debug({ method: req.method, path: req.path, status: res.statusCode, ms: Math.round(performance.now() - started) }, "request");
    });
    next();
  });

  app.use("/_emulator", createAdminRouter(deps));

  const arm = createMockArmRouter({
    verify: createBearerVerifier({ jwks: deps.keys.jwks, issuer: endpoints.issuer, clock: deps.clock }),
    subscriptionId: deps.subscriptionId,
    tenantId: endpoints.tenantId,
    authorizationUri: `${endpoints.url}/${endpoints.tenantId}`,
    logger,
  });
  app.use((req, res, next) => {
    if (ARM_PATH.test(req.path)) arm(req, res, next);
    else next();
  });

  app.use(createOpenIdRouter(deps));
  app.use(createAuthorizeRouter(deps));
  app.use(createTokenRouter({ ...deps, tenantId: endpoints.tenantId }));
  app.use(createLogoutRouter(deps));

  app.get("/", (_req, res) => {
    sendHtml(
      res,
      200,
      renderHomePage({ authority: endpoints.issuer, armUrl: `${endpoints.url}/`, usernames: deps.users.list().map((user) => user.username) }),
    );
  });

  app.get("/favicon.ico", (_req, res) => {
    res.status(204).end();
  });

  app.use((req, res) => {
    res.status(404).json({ error: { code: "NotFound", message: `Nothing is served at ${req.method} ${req.path}.` } });
  });

  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = statusOf(error);
    // A delayed request cut short because the emulator is closing is expected, not a failure.
    const aborted = error instanceof Error && error.name === "AbortError";
    if (status >= 500 && !aborted) logger.error({ err: error, path: req.path }, "request failed");
    if (res.headersSent) {
      res.end();
      return;
    }
    const message = status >= 500 ? "The emulator failed to handle the request." : "The request could not be read.";
    res.status(status).json({ error: { code: status >= 500 ? "InternalError" : "BadRequest", message } });
  });

  return app;
}
