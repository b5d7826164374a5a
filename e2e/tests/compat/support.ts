import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { cloudShellEnv, JWT_PATTERN, type Stack } from "@authbridge/cli";
import { test } from "../../fixtures.js";

/** The Node and Python client programs the compat tests run in child processes. */
export const CLIENTS_DIR = fileURLToPath(new URL("../../compat-clients/", import.meta.url));
/** Debian's interpreter, where python3-azure and python3-msal live (the `python3` on PATH may be another build). */
export const DEBIAN_PYTHON = "/usr/bin/python3";

/** What the compat reporter (e2e/compat-reporter.ts) writes into the README's matrix for one test. */
export interface CompatEntry {
  client: string;
  version: string;
  dialect: "Cloud Shell" | "IMDS" | "App Service";
  /** What the test proves, for the matrix's notes column. */
  checks: string;
}

/** Tags the running test as a compatibility-matrix row; its pass/fail/skip comes from Playwright. */
export function recordCompat(entry: CompatEntry): void {
  test.info().annotations.push({ type: "compat", description: JSON.stringify(entry) });
}

/** Variables a Cloud Shell never sets that would steer a client elsewhere (or leak from the test runner). */
const FOREIGN_VARS = ["MSI_SECRET", "IDENTITY_ENDPOINT", "IDENTITY_HEADER", "IDENTITY_SERVER_THUMBPRINT", "IMDS_ENDPOINT", "AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_CLIENT_SECRET", "AZURE_FEDERATED_TOKEN_FILE", "AZURE_USERNAME"];

export interface ClientEnv {
  env: Record<string, string>;
  /** Removes the temporary AZURE_CONFIG_DIR. */
  cleanup: () => void;
}

/**
 * The environment a client has in the session's shell: what the endpoint's
 * `env` sub-command prints (MSI_ENDPOINT, ACC_CLOUD, AZUREPS_HOST_ENVIRONMENT),
 * the emulator's certificate trusted for the ARM call, and an empty Azure CLI
 * config dir (so nothing falls back to a developer's own `az login`). With
 * `appService`, also IDENTITY_ENDPOINT and IDENTITY_HEADER, which clients prefer.
 */
export async function clientEnv(stack: Stack, endpointUrl: string, options: { appService?: boolean } = {}): Promise<ClientEnv> {
  const configDir = mkdtempSync(join(tmpdir(), "authbridge-compat-"));
  const base: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined && !FOREIGN_VARS.includes(name) && !name.startsWith("MSI_")) base[name] = value;
  const env = {
    ...base,
    ...(await cloudShellEnv(endpointUrl, options.appService === true && stack.appServiceSecret !== undefined ? { appServiceSecret: stack.appServiceSecret } : {})),
    NODE_EXTRA_CA_CERTS: stack.emulator.certPath,
    REQUESTS_CA_BUNDLE: stack.emulator.certPath,
    AZURE_CONFIG_DIR: configDir,
    AZURE_CORE_COLLECT_TELEMETRY: "false",
    ARM_URL: stack.emulator.armUrl,
    SUBSCRIPTION_ID: stack.emulator.subscriptionId,
  };
  return { env, cleanup: () => rmSync(configDir, { recursive: true, force: true }) };
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a client program with a deadline. Its output stays in memory; callers print only token-free excerpts. */
export function run(file: string, args: readonly string[], env: Record<string, string>, timeoutMs = 60_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, cwd: CLIENTS_DIR, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A failure description safe to put in an assertion message: tokens masked, bounded. */
export function describeRun(result: RunResult): string {
  const mask = (text: string) => text.replace(new RegExp(JWT_PATTERN.source, "g"), "<token>").slice(-3000);
  return `exit ${result.code}\nstdout: ${mask(result.stdout)}\nstderr: ${mask(result.stderr)}`;
}

/** A JSON object from a client's last stdout line, entered as unknown and checked. */
export function lastJsonObject(stdout: string): Record<string, unknown> {
  const line = stdout.trim().split("\n").at(-1) ?? "";
  const parsed: unknown = JSON.parse(line);
  return asObject(parsed, "client output");
}

export function asObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`${what} is not a JSON object`);
  return Object.fromEntries(Object.entries(value));
}

export function field<T extends "string" | "number" | "boolean">(object: Record<string, unknown>, name: string, type: T): T extends "string" ? string : T extends "number" ? number : boolean;
export function field(object: Record<string, unknown>, name: string, type: "string" | "number" | "boolean"): string | number | boolean {
  const value = object[name];
  if (typeof value !== type) throw new Error(`${name} is not a ${type}: ${JSON.stringify(value)?.slice(0, 80)}`);
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  throw new Error(`${name} is not a ${type}`);
}

/** `{ status, vms }` as the clients report their mock ARM call. */
export function armResult(object: Record<string, unknown>): { status: number; vms: string[] } {
  const arm = asObject(object.arm, "arm");
  const vms = Array.isArray(arm.vms) ? arm.vms.filter((name): name is string => typeof name === "string") : [];
  return { status: field(arm, "status", "number"), vms };
}

export const SEED_VMS = ["vm-web-01", "vm-api-01", "vm-batch-01"];
