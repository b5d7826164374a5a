import { DEFAULT_ENDPOINT_PORT } from "@authbridge/protocol";

export const MAIN_HELP = `Usage: authbridge-endpoint <command> [options]

The authbridge token endpoint: answers Azure Cloud Shell's managed-identity
token API on loopback with tokens from the user's browser session.

Commands:
  serve        run the endpoint (configured by AUTHBRIDGE_* environment variables)
  env          print the shell exports that point clients at the endpoint

Options:
  -h, --help   show this help (also: <command> --help)
`;

export const SERVE_HELP = `Usage: authbridge-endpoint serve [--host HOST] [--port PORT]

Runs the token endpoint and its relay agent until SIGTERM/SIGINT or until the
relay ends the session. Logs are JSON lines on stdout.

Options:
  --host HOST   interface to bind (overrides AUTHBRIDGE_HOST; default 127.0.0.1)
  --port PORT   port to bind, 0 for a free one (overrides AUTHBRIDGE_PORT; default ${DEFAULT_ENDPOINT_PORT})
  -h, --help    show this help

Environment (variables left unset are read from the file AUTHBRIDGE_CONFIG_FILE names, if any:
KEY=value lines, # comment lines, values optionally quoted; only the variables below):
  AUTHBRIDGE_AGENT_TOKEN         required; the one-time agent token (removed from the environment once read)
  AUTHBRIDGE_RELAY_URL           required; ws://…/ws/agent
  AUTHBRIDGE_SESSION_ID          required; the session this endpoint serves
  AUTHBRIDGE_HOST, AUTHBRIDGE_PORT
  AUTHBRIDGE_ALLOWLIST           comma-separated audiences; replaces the default list
  AUTHBRIDGE_ALLOWLIST_FILE      JSON array of strings, or one audience per line; replaces the default list
  AUTHBRIDGE_ALLOWLIST_EXTRA     comma-separated audiences added to the list
  AUTHBRIDGE_REQUEST_TIMEOUT_MS  how long a token request waits for the browser (default 30000)
  AUTHBRIDGE_ORPHAN_GRACE_MS     when launched by a relay that dies: how long to wait for a restarted relay to
                                 take the session back before exiting (default 30000)
  AUTHBRIDGE_LOG_LEVEL           fatal, error, warn, info (default), debug, trace or silent
  AUTHBRIDGE_APP_SERVICE_SECRET  turns on the App Service dialect (GET /msi/token?api-version=2019-08-01&resource=…
                                 with X-IDENTITY-HEADER: <this secret>); 16-512 characters of A-Z a-z 0-9 . _ ~ + / = -
  AUTHBRIDGE_TERMINAL            off: no shell for the browser's terminal (default on: a login shell in a PTY,
                                 started by the browser's first resize, ended when it exits)
  AUTHBRIDGE_TERMINAL_GRACE_MS   how long the shell waits for a detached browser to come back (default 60000)
  AUTHBRIDGE_SHELL               the login shell, run with -l (default /bin/bash)
  AUTHBRIDGE_SHELL_HOME          the shell's HOME (default this process's); AUTHBRIDGE_SHELL_CWD its directory
`;

export const ENV_HELP = `Usage: authbridge-endpoint env [--port PORT]

Prints the exports that make Azure CLI, azure-identity and MSAL use the
endpoint, for example: eval "$(authbridge-endpoint env)"
  MSI_ENDPOINT, ACC_CLOUD, AZUREPS_HOST_ENVIRONMENT   always (as Cloud Shell sets them)
  IDENTITY_ENDPOINT, IDENTITY_HEADER                  when AUTHBRIDGE_APP_SERVICE_SECRET is set

Options:
  --port PORT   the endpoint's port (default AUTHBRIDGE_PORT, else ${DEFAULT_ENDPOINT_PORT})
  -h, --help    show this help
`;
