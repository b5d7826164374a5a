export {
  AGENT_SESSION_HEADER,
  CACHE_SKEW_SECONDS,
  CLOUD_SHELL_TOKEN_PATH,
  DEFAULT_ALLOWLIST,
  DEFAULT_ENDPOINT_HOST,
  DEFAULT_ENDPOINT_PORT,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_TICKET_TTL_MS,
  IMDS_TOKEN_PATH,
  MAX_ACCESS_TOKEN_LENGTH,
  MAX_FRAME_BYTES,
  MAX_RESOURCE_LENGTH,
  POST_MESSAGE_CHANNEL,
  PROTOCOL_VERSION,
  RELAY_AGENT_PATH,
  RELAY_BROWSER_PATH,
  RELAY_SUBPROTOCOL,
  SESSION_ENDED_CLOSE_CODE,
  SESSION_ENDED_CLOSE_REASON,
  TICKET_SUBPROTOCOL_PREFIX,
} from "./constants.js";
export { guardMessage, isWebOrigin, loadAppConfig, type ConfigFetch, type GuardVerdict, type InboundMessage, type LoadedAppConfig } from "./browser-apps.js";
export { CONFIG_FILE_VARIABLE, loadConfigFile, parseConfigFile, type LoadedConfig } from "./config-file.js";
export { AuthbridgeError, ERRORS, errorBody, isErrorCode, statusForCode, type ErrorBody, type ErrorCode } from "./errors.js";
export { describeParseError, parseFailure, type ParseError, type ParseResult } from "./result.js";
export { parseJsonChecked, parseJsonWith, parseWith, type Checked, type Token, type WireError } from "./schema.js";
export {
  checkAgentFrameText,
  checkBrowserFrameText,
  encodeFrame,
  parseAgentFrameText,
  parseBrowserFrameText,
  parseRelayFrame,
  parseRelayFrameText,
  type AgentFrame,
  type BrowserFrame,
  type ErrorFrame,
  type HelloFrame,
  type PeerFrame,
  type RelayFrame,
  type TokenRequestFrame,
  type TokenResponseFrame,
  type WelcomeFrame,
} from "./relay-frames.js";
export {
  parseConsoleToPortalMessage,
  parsePortalToConsoleMessage,
  type ConnectMessage,
  type ConsoleToPortalMessage,
  type PortalToConsoleMessage,
  type ReadyMessage,
  type TokenRequestMessage,
  type TokenResponseMessage,
} from "./post-message.js";
export { audienceNotSupportedMessage, createAllowlist, type Allowlist } from "./allowlist.js";
export {
  AGENT_TERMINAL_KINDS,
  BROWSER_TERMINAL_KINDS,
  MAX_TERMINAL_COLS,
  MAX_TERMINAL_ROWS,
  TERMINAL_CHUNK_BYTES,
  TERMINAL_FRAME_KIND,
  TERMINAL_WINDOW_BYTES,
  decodeTerminalFrame,
  encodeTerminalData,
  encodeTerminalFrame,
  terminalFrameKind,
  type TerminalFrame,
  type TerminalFrameKind,
} from "./terminal-frames.js";
