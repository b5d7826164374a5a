export { CHROMIUM_ARGS, chromiumPath, launchChromium, signInThroughPortal, waitForConsoleReady } from "./chromium.js";
export { JWT_PATTERN, SEED_TOKEN_COMMAND, SEED_VM_LIST_COMMAND, decodeJwtClaims, runInShell, type ShellResult } from "./seed-commands.js";
export { createRelayProcess, relaySessionCount, type RelayProcess, type RelayProcessOptions } from "./relay-process.js";
export { LOG_LEVELS, PORTAL_CLIENT_ID, RELAY_AUDIENCE, appDistDir, freePort, startStack, type AppInfo, type LogLevel, type RelayInfo, type Stack, type StackOptions } from "./stack.js";
export { startStaticAppServer, type StaticAppServer, type StaticAppServerOptions } from "./static-app-server.js";
export { cloudShellEnv, parseExports, type ShellEnvOptions } from "./shell-env.js";
export { TerminalDriver, terminalRows, type CommandRun } from "./terminal-driver.js";
