/** Wire protocol version carried as `v` in every message. */
export const PROTOCOL_VERSION = 1;

/** The Cloud Shell token endpoint port: `http://localhost:50342/oauth2/token`. */
export const DEFAULT_ENDPOINT_PORT = 50342;
export const DEFAULT_ENDPOINT_HOST = "127.0.0.1";

/** Cloud Shell dialect: `POST` with a form body `resource=…`. */
export const CLOUD_SHELL_TOKEN_PATH = "/oauth2/token";
/** IMDS dialect: `GET ?api-version=…&resource=…`. */
export const IMDS_TOKEN_PATH = "/metadata/identity/oauth2/token";

/** `channel` of every postMessage envelope between console and portal. */
export const POST_MESSAGE_CHANNEL = "authbridge";

/** WebSocket sub-protocol both relay sides speak. */
export const RELAY_SUBPROTOCOL = "authbridge.v1";
/**
 * Browsers cannot set headers on a WebSocket, and tickets must stay out of
 * URLs, so the console offers its ticket as a second sub-protocol
 * `authbridge.ticket.<ticket>`. The relay never selects (echoes) it.
 */
export const TICKET_SUBPROTOCOL_PREFIX = "authbridge.ticket.";
/** Header naming the session an agent connects for (its token is the `Authorization` bearer). */
export const AGENT_SESSION_HEADER = "x-authbridge-session";

/** WebSocket close code the relay uses when a session is over: do not reconnect. */
export const SESSION_ENDED_CLOSE_CODE = 4000;
export const SESSION_ENDED_CLOSE_REASON = "session ended";

export const RELAY_AGENT_PATH = "/ws/agent";
export const RELAY_BROWSER_PATH = "/ws/browser";

/** Largest text frame either relay side may send. */
export const MAX_FRAME_BYTES = 64 * 1024;
/** Largest access token accepted anywhere (real AAD tokens are 1.5–4 KiB). */
export const MAX_ACCESS_TOKEN_LENGTH = 16 * 1024;
export const MAX_RESOURCE_LENGTH = 2048;

/** A cached token is served only while it has more than this much life left. */
export const CACHE_SKEW_SECONDS = 300;
/** How long an endpoint request may wait for the browser round trip. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** How long a browser ticket stays valid. */
export const DEFAULT_TICKET_TTL_MS = 60_000;

/** Audiences Cloud Shell has been seen to accept (REFERENCE.md). */
export const DEFAULT_ALLOWLIST: readonly string[] = Object.freeze([
  "https://management.core.windows.net/",
  "https://management.azure.com/",
  "https://graph.windows.net/",
  "https://graph.microsoft.com/",
  "https://vault.azure.net",
  "https://datalake.azure.net/",
  "https://outlook.office365.com/",
  "https://batch.core.windows.net/",
  "https://analysis.windows.net/powerbi/api",
  "https://storage.azure.com/",
  "https://rest.media.azure.net",
  "https://api.loganalytics.io",
  "https://ossrdbms-aad.database.windows.net",
  "https://www.yammer.com",
  "https://digitaltwins.azure.net",
  "https://dev.azuresynapse.net",
  "https://database.windows.net",
  "https://quantum.microsoft.com",
  "https://iothubs.azure.net",
  "https://azuredatabricks.net/",
  "https://azure-devices-provisioning.net",
  "https://managedhsm.azure.net",
  "https://appservice.azure.com",
  "https://ai.azure.com",
  "00000003-0000-0000-c000-000000000000",
  "499b84ac-1321-427f-aa17-267ca6975798",
]);
