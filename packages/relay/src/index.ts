export { startRelay } from "./relay.js";
export type { Relay, RelayOptions, UserAuthOptions } from "./relay-options.js";
export type { LaunchContext, LaunchedAgent, Launcher } from "./launchers/launcher.js";
export { createLocalLauncher, type LocalLauncherOptions } from "./launchers/local.js";
export { createExternalLauncher, type ExternalLauncherOptions } from "./launchers/external.js";
export type { Clock } from "./clock.js";
export { createRelayLogger, REDACT_PATHS, type RelayLoggerOptions } from "./logger.js";
