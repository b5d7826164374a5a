export { startEndpoint, type Endpoint, type EndpointOptions, type EndpointTerminalOptions } from "./endpoint.js";
export { systemClock, type Clock } from "./clock.js";
export { createTokenCache, type CachedToken, type CacheLookup, type TokenCache, type TokenCacheOptions } from "./cache/token-cache.js";
export {
  createRelayAgent,
  type RelayAgent,
  type RelayAgentOptions,
  type RelayAgentStatus,
  type RelayState,
  type TokenSource,
} from "./agent/relay-agent.js";
export { createTokenHandler, DEFAULT_MAX_BODY_BYTES, type TokenHandler, type TokenHandlerDeps } from "./http/token-route.js";
export { createEndpointServer, type EndpointServer, type EndpointServerDeps } from "./http/server.js";
export { createAdminApp, type AdminAppDeps } from "./http/admin-app.js";
export { tokenResponseBody } from "./http/responses.js";
export { parseConfig, type ConfigFlags, type EndpointConfig } from "./config.js";
export { createLogger, REDACT_PATHS, type LogLevel, type LoggerOptions } from "./logger.js";
export { APP_SERVICE_TOKEN_PATH, createAppServiceHandler, type AppServiceHandler, type AppServiceHandlerDeps } from "./http/app-service-route.js";
export { shellExports } from "./cli/env-command.js";
export { createEndpointMetrics, NO_METRICS, type EndpointMetrics, type TokenMetrics } from "./metrics.js";
export { createTerminalHost, type TerminalHost, type TerminalHostOptions, type TerminalHostStats, type TerminalLink } from "./terminal/terminal-host.js";
export { spawnWithNodePty, type PtyProcess, type SpawnShell, type SpawnShellOptions } from "./terminal/pty.js";
export { shellEnvironment } from "./terminal/shell-env.js";
export { parseTerminalConfig, DEFAULT_TERMINAL_GRACE_MS, type TerminalConfig } from "./terminal/terminal-config.js";
export { RingBuffer } from "./terminal/ring-buffer.js";
export { cloudShellVariables } from "./cloud-shell-env.js";
