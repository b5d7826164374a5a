import { homedir } from "node:os";
import { parseFailure, type ParseResult } from "@authbridge/protocol";

export interface TerminalConfig {
  /** `AUTHBRIDGE_TERMINAL=off` turns the terminal off (token endpoint only). */
  enabled: boolean;
  /** `AUTHBRIDGE_TERMINAL_GRACE_MS`: how long a shell waits for its browser to come back (default 60 s). */
  graceMs: number;
  /** `AUTHBRIDGE_SHELL`: the login shell (default `/bin/bash`, run with `-l`). */
  shell: string;
  /** `AUTHBRIDGE_SHELL_CWD`: the session's working directory (default the shell's home). */
  cwd: string;
  /** `AUTHBRIDGE_SHELL_HOME`: the shell's `HOME` (default the endpoint's own). */
  home?: string;
}

export const DEFAULT_TERMINAL_GRACE_MS = 60_000;

/** Every variable `parseTerminalConfig` reads. */
export const TERMINAL_ENV_KEYS = ["AUTHBRIDGE_TERMINAL", "AUTHBRIDGE_TERMINAL_GRACE_MS", "AUTHBRIDGE_SHELL", "AUTHBRIDGE_SHELL_CWD", "AUTHBRIDGE_SHELL_HOME"] as const;

/** Reads the terminal's settings from the environment; a failure names the variable. */
export function parseTerminalConfig(env: Readonly<Record<string, string | undefined>>): ParseResult<TerminalConfig> {
  const enabledText = env["AUTHBRIDGE_TERMINAL"] ?? "";
  if (!["", "on", "off"].includes(enabledText)) return parseFailure("AUTHBRIDGE_TERMINAL", 'must be "on" or "off"');
  const graceText = env["AUTHBRIDGE_TERMINAL_GRACE_MS"] ?? "";
  let graceMs = DEFAULT_TERMINAL_GRACE_MS;
  if (graceText !== "") {
    if (!/^\d{1,9}$/.test(graceText) || Number(graceText) < 1) return parseFailure("AUTHBRIDGE_TERMINAL_GRACE_MS", "must be an integer from 1 to 999999999");
    graceMs = Number(graceText);
  }
  const shell = env["AUTHBRIDGE_SHELL"] ?? "";
  const cwd = env["AUTHBRIDGE_SHELL_CWD"] ?? "";
  if (shell !== "" && !shell.startsWith("/")) return parseFailure("AUTHBRIDGE_SHELL", "must be an absolute path");
  if (cwd !== "" && !cwd.startsWith("/")) return parseFailure("AUTHBRIDGE_SHELL_CWD", "must be an absolute path");
  const home = env["AUTHBRIDGE_SHELL_HOME"] ?? "";
  if (home !== "" && !home.startsWith("/")) return parseFailure("AUTHBRIDGE_SHELL_HOME", "must be an absolute path");
  return {
    ok: true,
    value: {
      enabled: enabledText !== "off",
      graceMs,
      shell: shell === "" ? "/bin/bash" : shell,
      cwd: cwd !== "" ? cwd : home !== "" ? home : homedir(),
      ...(home === "" ? {} : { home }),
    },
  };
}
