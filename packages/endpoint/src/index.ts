export { startEndpoint, type Endpoint, type EndpointOptions } from "./endpoint.js";
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
