import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import type { Logger } from "pino";
import { createApp } from "./app.js";
import { createTlsCertificate } from "./cert.js";
import { createClientRegistry, type RegisteredClient } from "./clients.js";
import { systemClock, type Clock } from "./clock.js";
import { createCodeStore } from "./codes.js";
import { discoveryDocument, endpointsFor } from "./endpoints.js";
import { createFaultSwitches, type Faults } from "./faults.js";
import { createSigningKeys } from "./keys.js";
import { emulatorLogger } from "./logger.js";
import { createRefreshTokenStore } from "./refresh-tokens.js";
import { createSessionStore } from "./sessions.js";
import { createStatsCounter, type EmulatorStats } from "./stats.js";
import { createTokenIssuer } from "./tokens.js";
import { createUserDirectory, DEMO_SUBSCRIPTION_ID, DEMO_TENANT_ID, DEMO_USERS, type TestUser } from "./users.js";

export interface EmulatorOptions {
  /** Bind address; default 127.0.0.1. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
  tenantId?: string;
  users?: readonly TestUser[];
  /** Default 3600. */
  accessTokenLifetimeSec?: number;
  /** Where cert.pem goes; default a fresh temp dir (removed on close). */
  certDir?: string;
  subscriptionId?: string;
  logger?: Logger;
  /** Time source for tokens, codes and the mock ARM's expiry check (tests pass a fake). */
  clock?: Clock;
  /** Clients registered at start (same as calling registerClient). */
  clients?: readonly RegisteredClient[];
}

export interface Emulator {
  /** `https://localhost:<port>` */
  url: string;
  port: number;
  tenantId: string;
  subscriptionId: string;
  /** `${url}/${tenantId}/v2.0` */
  authority: string;
  /** Same as authority. */
  issuer: string;
  /** `${url}/${tenantId}/discovery/v2.0/keys` */
  jwksUri: string;
  /** `localhost:<port>`, for MSAL's knownAuthorities. */
  knownAuthority: string;
  /** JSON text of the openid-configuration, for MSAL's authorityMetadata. */
  authorityMetadata: string;
  /** `${url}/`: the mock ARM shares the server. */
  armUrl: string;
  certPath: string;
  certPem: string;
  // Function-typed properties, not methods: each is a closure and may be passed around unbound.
  registerClient: (client: RegisteredClient) => void;
  faults: { set: (f: Partial<Faults>) => void; reset: () => void; get: () => Faults };
  stats: () => EmulatorStats;
  resetStats: () => void;
  /** Stops the server, drops open connections, aborts delayed token responses; idempotent. */
  close: () => Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once("error", onError);
    server.listen({ port, host }, () => {
      server.off("error", onError);
      const address = server.address();
      if (address === null || typeof address === "string") reject(new Error("the emulator's server has no TCP address"));
      else resolve((address satisfies AddressInfo).port);
    });
  });
}

/** Starts the emulator (Entra ID v2 endpoints plus mock ARM) on https. Every method is a closure and may be passed unbound. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? "127.0.0.1";
  const tenantId = options.tenantId ?? DEMO_TENANT_ID;
  const subscriptionId = options.subscriptionId ?? DEMO_SUBSCRIPTION_ID;
  const accessTokenLifetimeSec = options.accessTokenLifetimeSec ?? 3600;
  if (!Number.isInteger(accessTokenLifetimeSec) || accessTokenLifetimeSec < 1) throw new RangeError("accessTokenLifetimeSec must be a positive integer");
  const clock = options.clock ?? systemClock;
  const logger = emulatorLogger(options.logger);
  const ownsCertDir = options.certDir === undefined;
  const certDir = options.certDir ?? (await mkdtemp(join(tmpdir(), "aad-emulator-")));

  const [tls, keys] = await Promise.all([createTlsCertificate(certDir, [host]), createSigningKeys()]);
  const server = createServer({ key: tls.keyPem, cert: tls.certPem });
  let port: number;
  try {
    port = await listen(server, options.port ?? 0, host);
  } catch (error) {
    if (ownsCertDir) await rm(certDir, { recursive: true, force: true });
    throw error;
  }

  const url = `https://localhost:${port}`;
  const endpoints = endpointsFor(url, tenantId);
  const clients = createClientRegistry(options.clients ?? []);
  const faults = createFaultSwitches();
  const stats = createStatsCounter();
  const shutdown = new AbortController();
  const app = createApp({
    endpoints,
    subscriptionId,
    keys,
    clock,
    users: createUserDirectory(options.users ?? DEMO_USERS),
    clients,
    sessions: createSessionStore(clock),
    codes: createCodeStore(clock),
    refreshTokens: createRefreshTokenStore(clock),
    tokens: createTokenIssuer({ keys, issuer: endpoints.issuer, tenantId, clock, accessTokenLifetimeSec }),
    faults,
    stats,
    logger,
    sleep: (ms) => delay(ms, undefined, { signal: shutdown.signal }),
  });
  server.on("request", app);
  logger.info({ url, tenantId }, "AAD emulator listening");

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      shutdown.abort();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      if (ownsCertDir) await rm(certDir, { recursive: true, force: true });
      logger.info("AAD emulator closed");
    })();
    return closing;
  };

  return {
    url,
    port,
    tenantId,
    subscriptionId,
    authority: endpoints.issuer,
    issuer: endpoints.issuer,
    jwksUri: endpoints.jwks,
    knownAuthority: `localhost:${port}`,
    authorityMetadata: JSON.stringify(discoveryDocument(endpoints)),
    armUrl: `${url}/`,
    certPath: tls.certPath,
    certPem: tls.certPem,
    registerClient: (client) => clients.register(client),
    faults: { set: (patch) => faults.set(patch), reset: () => faults.reset(), get: () => faults.get() },
    stats: () => stats.snapshot(),
    resetStats: () => stats.reset(),
    close,
  };
}
