import { randomBytes } from "node:crypto";
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { DEMO_USERS, startEmulator, type Emulator, type EmulatorOptions, type TestUser } from "@authbridge/aad-emulator";
import { createLocalLauncher, createRelayLogger, startRelay, type RelayOptions } from "@authbridge/relay";
import { pino } from "pino";
import { createRelayProcess, relaySessionCount, type RelayProcess } from "./relay-process.js";
import { startStaticAppServer, type StaticAppServer } from "./static-app-server.js";

/** The relay's API audience in the emulator (an app id URI, as on real Entra ID). */
export const RELAY_AUDIENCE = "api://authbridge-relay";
/** The portal's client id registered in the emulator (any GUID works). */
export const PORTAL_CLIENT_ID = "5e0a1c3b-7d2f-4c55-9b1e-0a0b0c0d0e0f";

export interface StackOptions {
  /** Port of each session's endpoint; 50342 (the Cloud Shell port) by default, 0 for a free port. */
  endpointPort?: number;
  /** Extra environment for each launched endpoint. */
  endpointEnv?: Record<string, string>;
  emulator?: EmulatorOptions;
  /** pino level for the emulator, the relay and every endpoint (default "info"). Logs are JSON lines on stdout. */
  logLevel?: LogLevel;
  /** Relay limits to change from their defaults (tests open many sessions as one user). */
  relay?: Pick<RelayOptions, "maxSessionsPerUser" | "sessionIdleMs">;
  /**
   * Append every log line of the stack (emulator, relay, and each endpoint's stdout and stderr) to
   * this file instead of stdout, so a test can read all of it.
   */
  logFile?: string;
  /**
   * The relay's WebSocket origin as the browser should reach it (`ws://host:port`), e.g. a test's TCP
   * proxy that can drop the console's socket; default the relay itself.
   */
  browserRelayWsUrl?: string;
  /** Turn on the endpoints' App Service dialect with a freshly generated secret (`stack.appServiceSecret`). */
  appService?: boolean;
  /**
   * Run the relay as its own process (its CLI, local launcher) on a fixed port with a state file,
   * so a test can kill it and start it again (`stack.relayProcess`). Not with `relay` limits.
   */
  relayProcess?: boolean;
}

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface AppInfo {
  url: string;
  origin: string;
}

/** The relay as tests reach it, in this process or in its own. */
export interface RelayInfo {
  url: string;
  wsUrl: string;
  port: number;
  /** Live sessions (from `/metrics` when the relay is a process). */
  sessionCount(): Promise<number>;
}

export interface Stack {
  emulator: Emulator;
  relay: RelayInfo;
  /** Set with `relayProcess: true`. */
  relayProcess?: RelayProcess;
  portal: AppInfo;
  console: AppInfo;
  users: readonly TestUser[];
  /** The endpoints' `IDENTITY_HEADER` when the App Service dialect is on. */
  appServiceSecret?: string;
  close(): Promise<void>;
}

const require = createRequire(import.meta.url);

/** Where a browser app's `vite build` output lives. */
export function appDistDir(app: "portal" | "console"): string {
  return join(dirname(require.resolve(`@authbridge/${app}/package.json`)), "dist");
}

/**
 * Starts the whole local stack on free ports: the AAD emulator (with mock
 * ARM), the relay with its local launcher, and the portal and console apps
 * on two different sites. Everything is torn down by `close()`, in reverse.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const closers: (() => Promise<void>)[] = [];
  const close = async (): Promise<void> => {
    for (const closer of closers.reverse()) await closer().catch(() => undefined);
  };
  try {
    let portalConfig: unknown = null;
    let consoleConfig: unknown = null;
    const portal: StaticAppServer = await startStaticAppServer({
      distDir: appDistDir("portal"),
      hostname: "localhost",
      config: () => portalConfig,
      frameAncestors: "'none'",
    });
    closers.push(() => portal.close());
    const consoleApp: StaticAppServer = await startStaticAppServer({
      distDir: appDistDir("console"),
      hostname: "127.0.0.1",
      config: () => consoleConfig,
      frameAncestors: portal.origin,
    });
    closers.push(() => consoleApp.close());

    const logLevel = options.logLevel ?? "info";
    const logFd = options.logFile === undefined ? 1 : openSync(options.logFile, "a");
    if (logFd !== 1) closers.push(() => Promise.resolve(closeSync(logFd)));
    const appServiceSecret = options.appService === true ? randomBytes(24).toString("base64url") : undefined;
    const emulator = await startEmulator({ logger: pino({ name: "authbridge-aad-emulator", level: logLevel }, pino.destination({ fd: logFd, sync: true })), ...options.emulator });
    closers.push(() => emulator.close());
    emulator.registerClient({ clientId: PORTAL_CLIENT_ID, redirectUris: [`${portal.origin}/redirect.html`, `${portal.origin}/`] });

    // The sessions' shells get a fresh HOME (as a Cloud Shell container has), not the host user's dotfiles.
    const shellHome = mkdtempSync(join(tmpdir(), "authbridge-shell-home-"));
    closers.push(() => Promise.resolve(rmSync(shellHome, { recursive: true, force: true })));

    const endpointEnv: Record<string, string> = {
      AUTHBRIDGE_LOG_LEVEL: logLevel,
      ...(appServiceSecret === undefined ? {} : { AUTHBRIDGE_APP_SERVICE_SECRET: appServiceSecret }),
      AUTHBRIDGE_SHELL_HOME: shellHome,
      ...options.endpointEnv,
    };
    const relayCore = {
      auth: { issuer: emulator.issuer, audience: RELAY_AUDIENCE, jwksUri: emulator.jwksUri, tlsCa: emulator.certPem },
      consoleUrl: consoleApp.url,
      allowedOrigins: [consoleApp.origin],
      corsOrigins: [portal.origin],
    };
    let relay: RelayInfo;
    let relayProcess: RelayProcess | undefined;
    if (options.relayProcess === true) {
      if (options.relay !== undefined) throw new TypeError("startStack: relay limits cannot be set on a relay process");
      const stateDir = mkdtempSync(join(tmpdir(), "authbridge-relay-state-"));
      closers.push(() => Promise.resolve(rmSync(stateDir, { recursive: true, force: true })));
      const caFile = join(stateDir, "emulator-ca.pem");
      writeFileSync(caFile, emulator.certPem);
      const port = await freePort();
      const started = createRelayProcess({
        port,
        ...(logFd === 1 ? {} : { outputFd: logFd }),
        env: {
          ...endpointEnv,
          AUTHBRIDGE_RELAY_PORT: String(port),
          AUTHBRIDGE_RELAY_STATE_FILE: join(stateDir, "sessions.json"),
          AUTHBRIDGE_ISSUER: relayCore.auth.issuer,
          AUTHBRIDGE_AUDIENCE: relayCore.auth.audience,
          AUTHBRIDGE_JWKS_URI: relayCore.auth.jwksUri,
          AUTHBRIDGE_JWKS_CA_FILE: caFile,
          AUTHBRIDGE_CONSOLE_URL: relayCore.consoleUrl,
          AUTHBRIDGE_ALLOWED_ORIGINS: relayCore.allowedOrigins.join(","),
          AUTHBRIDGE_CORS_ORIGINS: relayCore.corsOrigins.join(","),
          AUTHBRIDGE_LAUNCHER: "local",
          AUTHBRIDGE_ENDPOINT_PORT: String(options.endpointPort ?? 50342),
        },
      });
      closers.push(() => started.stop());
      await started.start();
      relayProcess = started;
      relay = { url: started.url, wsUrl: started.url.replace(/^http/, "ws"), port, sessionCount: () => relaySessionCount(started.url) };
    } else {
      const inProcess = await startRelay({
        ...relayCore,
        launcher: createLocalLauncher({
          endpointPort: options.endpointPort ?? 50342,
          // No state file: should this process die, its endpoints exit at once instead of holding the port.
          orphanGraceMs: 0,
          ...(logFd === 1 ? {} : { outputFd: logFd }),
          env: endpointEnv,
        }),
        logger: createRelayLogger({ level: logLevel, destination: logFd }),
        ...options.relay,
      });
      closers.push(() => inProcess.close());
      relay = { url: inProcess.url, wsUrl: inProcess.wsUrl, port: inProcess.port, sessionCount: () => Promise.resolve(inProcess.sessionCount()) };
    }

    consoleConfig = { portalOrigin: portal.origin };
    portalConfig = {
      clientId: PORTAL_CLIENT_ID,
      authority: emulator.authority,
      knownAuthorities: [emulator.knownAuthority],
      authorityMetadata: emulator.authorityMetadata,
      redirectUri: `${portal.origin}/redirect.html`,
      relayApiUrl: relay.url,
      relayWsUrl: `${options.browserRelayWsUrl ?? relay.wsUrl}/ws/browser`,
      relayScope: `${RELAY_AUDIENCE}/.default`,
      consoleOrigin: consoleApp.origin,
      allowedResources: null,
    };
    return {
      emulator,
      relay,
      ...(relayProcess === undefined ? {} : { relayProcess }),
      portal: { url: portal.url, origin: portal.origin },
      console: { url: consoleApp.url, origin: consoleApp.origin },
      users: DEMO_USERS,
      ...(appServiceSecret === undefined ? {} : { appServiceSecret }),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** A free loopback port (the OS picks it; it may be taken again before use, which is unlikely on a test machine). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no free port");
  return address.port;
}
