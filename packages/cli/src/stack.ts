import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { DEMO_USERS, startEmulator, type Emulator, type EmulatorOptions, type TestUser } from "@authbridge/aad-emulator";
import { createLocalLauncher, createRelayLogger, startRelay, type Relay } from "@authbridge/relay";
import { pino } from "pino";
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
}

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface AppInfo {
  url: string;
  origin: string;
}

export interface Stack {
  emulator: Emulator;
  relay: Relay;
  portal: AppInfo;
  console: AppInfo;
  users: readonly TestUser[];
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
    const emulator = await startEmulator({ logger: pino({ name: "authbridge-aad-emulator", level: logLevel }), ...options.emulator });
    closers.push(() => emulator.close());
    emulator.registerClient({ clientId: PORTAL_CLIENT_ID, redirectUris: [`${portal.origin}/redirect.html`, `${portal.origin}/`] });

    const relay = await startRelay({
      auth: { issuer: emulator.issuer, audience: RELAY_AUDIENCE, jwksUri: emulator.jwksUri, tlsCa: emulator.certPem },
      consoleUrl: consoleApp.url,
      allowedOrigins: [consoleApp.origin],
      corsOrigins: [portal.origin],
      launcher: createLocalLauncher({
        endpointPort: options.endpointPort ?? 50342,
        env: { AUTHBRIDGE_LOG_LEVEL: logLevel, ...options.endpointEnv },
      }),
      logger: createRelayLogger({ level: logLevel }),
    });
    closers.push(() => relay.close());

    consoleConfig = { portalOrigin: portal.origin };
    portalConfig = {
      clientId: PORTAL_CLIENT_ID,
      authority: emulator.authority,
      knownAuthorities: [emulator.knownAuthority],
      authorityMetadata: emulator.authorityMetadata,
      redirectUri: `${portal.origin}/redirect.html`,
      relayApiUrl: relay.url,
      relayWsUrl: `${relay.wsUrl}/ws/browser`,
      relayScope: `${RELAY_AUDIENCE}/.default`,
      consoleOrigin: consoleApp.origin,
      allowedResources: null,
    };
    return {
      emulator,
      relay,
      portal: { url: portal.url, origin: portal.origin },
      console: { url: consoleApp.url, origin: consoleApp.origin },
      users: DEMO_USERS,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
