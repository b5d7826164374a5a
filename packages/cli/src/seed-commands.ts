import { spawn } from "node:child_process";

/**
 * The commands from Azure Cloud Shell's documentation, verbatim. The demo
 * runs them in a shell whose endpoint is the session's.
 */
export const SEED_TOKEN_COMMAND =
  `curl http://localhost:50342/oauth2/token --data "resource=https://management.azure.com/" -H Metadata:true -s ` +
  `| python3 -c 'import sys, json; print(json.load(sys.stdin)["access_token"])'`;

/** The seed's VM list call; `$ARM` and `$SUBSCRIPTION` point at the mock ARM, `$token` holds the token. */
export const SEED_VM_LIST_COMMAND =
  `curl -s "\${ARM}subscriptions/\${SUBSCRIPTION}/providers/Microsoft.Compute/virtualMachines?api-version=2021-07-01" ` +
  `-H "Authorization: Bearer $token"`;

export interface ShellResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `script` in bash with `env` added, with a deadline; never echoes the script's output itself. */
export function runInShell(script: string, env: Record<string, string>, timeoutMs = 60_000): Promise<ShellResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-c", script], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`shell command did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
  });
}

/** Decodes a JWT's payload without verifying it (for display only: the mock ARM verifies). */
export function decodeJwtClaims(token: string): Record<string, unknown> {
  const payload = token.split(".")[1];
  if (payload === undefined) throw new Error("not a JWT");
  const claims: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  if (typeof claims !== "object" || claims === null || Array.isArray(claims)) throw new Error("JWT payload is not an object");
  return Object.fromEntries(Object.entries(claims));
}

/** Matches anything shaped like a JWT, to prove none reaches output or logs. */
export const JWT_PATTERN = /eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/;
