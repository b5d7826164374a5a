#!/usr/bin/env node
import { parseArgs } from "node:util";
import { DEFAULT_ENDPOINT_PORT } from "@authbridge/protocol";
import { launchChromium, signInThroughPortal } from "./chromium.js";
import { cloudShellEnv } from "./shell-env.js";
import { SEED_TOKEN_COMMAND, SEED_VM_LIST_COMMAND, decodeJwtClaims } from "./seed-commands.js";
import { LOG_LEVELS, startStack, type LogLevel, type Stack } from "./stack.js";
import { TerminalDriver } from "./terminal-driver.js";

const HELP = `Usage: npm run demo [-- options]

Starts the AAD emulator, the relay, the portal and the console on free ports,
signs in as a demo user in headless Chromium, then runs Azure Cloud Shell's
documented commands against http://localhost:50342/oauth2/token and the mock
ARM, typed into the console's terminal (a login shell beside the endpoint). Prints the token's claims (never the token), the VM names and the time of
the cold and the cached request, then shuts everything down.

Options:
  --keep-running   start the stack, print its URLs and wait (Ctrl+C stops it);
                   open the portal in your own browser instead of headless Chromium
  --timeout <s>    give up after this many seconds (default 120)
  --log-level <l>  log level of the emulator, relay and endpoint: ${LOG_LEVELS.join(", ")}
                   (default warn; logs are JSON lines, and never hold a token)
  -h, --help       show this help
`;

/** The seed's commands name this port verbatim, so the demo's endpoint must own it. */
const CLOUD_SHELL_PORT = DEFAULT_ENDPOINT_PORT;
const CLAIMS_SHOWN = ["aud", "iss", "tid", "oid", "upn", "name", "scp", "exp"] as const;

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

interface DemoOptions {
  keepRunning: boolean;
  timeoutMs: number;
  logLevel: LogLevel;
}

function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

function parseOptions(): DemoOptions | undefined {
  const { values } = parseArgs({
    options: {
      "keep-running": { type: "boolean", default: false },
      timeout: { type: "string", default: "120" },
      "log-level": { type: "string", default: "warn" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help) {
    log(HELP);
    return undefined;
  }
  const timeoutSeconds = Number(values.timeout);
  if (!(timeoutSeconds > 0)) throw new Error(`--timeout must be a positive number of seconds, got "${values.timeout}"`);
  const logLevel = values["log-level"];
  if (!isLogLevel(logLevel)) throw new Error(`--log-level must be one of ${LOG_LEVELS.join(", ")}, got "${logLevel}"`);
  return { keepRunning: values["keep-running"], timeoutMs: timeoutSeconds * 1000, logLevel };
}

function printStack(stack: Stack): void {
  log(`  emulator  ${stack.emulator.url}  (authority ${stack.emulator.authority}, certificate ${stack.emulator.certPath})`);
  log(`  mock ARM  ${stack.emulator.armUrl}`);
  log(`  relay     ${stack.relay.url}`);
  log(`  portal    ${stack.portal.url}`);
  log(`  console   ${stack.console.url}`);
}

async function keepRunning(stack: Stack): Promise<void> {
  const user = stack.users[0];
  log("");
  log("The stack is running. In your browser:");
  log(`  1. open ${stack.emulator.url}/ once and accept its self-signed certificate`);
  log(`  2. open ${stack.portal.url} and sign in as ${user?.username ?? "a demo user"} (password ${user?.password ?? "see the emulator"})`);
  log(`  3. in a shell: curl http://localhost:50342/oauth2/token --data "resource=https://management.azure.com/" -H Metadata:true -s`);
  log("Press Ctrl+C to stop.");
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
}

async function runRoundTrip(stack: Stack): Promise<void> {
  const user = stack.users[0];
  if (user === undefined) throw new Error("the emulator has no demo user");
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1920, height: 2000 } });
    const page = await context.newPage();
    log(`… signing in as ${user.username} in headless Chromium`);
    const { endpointUrl } = await signInThroughPortal(page, stack, user);
    log(`✓ signed in; the console is connected and the session's endpoint listens on ${endpointUrl}`);
    if (endpointUrl !== `http://127.0.0.1:${CLOUD_SHELL_PORT}`) throw new Error(`expected the endpoint on port ${CLOUD_SHELL_PORT}, got ${endpointUrl}`);

    // Everything below is typed into the console iframe's terminal: a login shell next to the endpoint.
    // (The page is tall so that the VM list's raw JSON fits on one screen: the demo reads it back from there.)
    const terminal = new TerminalDriver(page);
    await terminal.ready();
    // The shell must have what the endpoint's `env` sub-command prints, as Cloud Shell sets it.
    const expected = await cloudShellEnv(endpointUrl);
    const names = ["MSI_ENDPOINT", "ACC_CLOUD", "AZUREPS_HOST_ENVIRONMENT"] as const;
    const seen = (await terminal.run(`echo ${names.map((name) => `"$${name}"`).join(" ")}`)).output.join(" ");
    const wanted = names.map((name) => expected[name] ?? "").join(" ");
    if (seen !== wanted) throw new Error(`the terminal's environment is "${seen}", expected "${wanted}"`);
    log(`✓ a login shell in the console's terminal; ${names.map((name) => `${name}=${expected[name] ?? ""}`).join(" ")}`);
    await terminal.run(`export CURL_CA_BUNDLE=${stack.emulator.certPath} ARM=${stack.emulator.armUrl} SUBSCRIPTION=${stack.emulator.subscriptionId}`);

    log("");
    log(`$ ${SEED_TOKEN_COMMAND}`);
    const cold = await terminal.run(SEED_TOKEN_COMMAND);
    const token = tokenIn(cold.output);
    if (token === undefined) throw new Error(`the token command printed no token: ${describeOutput(cold.output)}`);
    const claims = decodeJwtClaims(token);
    log("  → an access token (not shown). Its claims:");
    for (const name of CLAIMS_SHOWN) {
      const value = claims[name];
      if (value !== undefined) log(`      ${name.padEnd(4)} ${typeof value === "string" ? value : JSON.stringify(value)}`);
    }

    const cached = await terminal.run(SEED_TOKEN_COMMAND);
    if (tokenIn(cached.output) !== token) throw new Error("the cached request did not return the same token");
    log(`  cold request (through the browser): ${cold.ms.toFixed(0)} ms; cached request: ${cached.ms.toFixed(0)} ms (Enter to prompt in the terminal, python3 start-up included)`);
    const curlCold = await curlTime(terminal, "https://graph.microsoft.com/");
    const curlCached = await curlTime(terminal, "https://management.azure.com/");
    log(`  curl's own time_total: cold ${curlCold} ms (Graph, through the browser), cached ${curlCached} ms (ARM)`);

    log("");
    log(`$ token=$(…); ${SEED_VM_LIST_COMMAND}`);
    await terminal.run(`token=$(${SEED_TOKEN_COMMAND})`);
    const vms = await terminal.run(SEED_VM_LIST_COMMAND);
    const vmNames = parseVmNames(vms.output.join(""));
    if (vmNames.length === 0) throw new Error(`the VM list call failed: ${describeOutput(vms.output)}`);
    log(`  → virtual machines: ${vmNames.join(", ")}`);
    // Leave the terminal without a token on screen.
    await terminal.run("unset token");
    await context.close();
  } finally {
    await browser.close();
  }
}

/** The JWT a command printed (it may wrap over several rows); never printed itself. */
function tokenIn(rows: string[]): string | undefined {
  const joined = rows.join("");
  return /^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(joined) ? joined : undefined;
}

/** A short, token-free description of what a command printed, for error messages. */
function describeOutput(rows: string[]): string {
  const text = rows.join(" ").replace(/eyJ[A-Za-z0-9_.-]+/g, "<token>");
  return text === "" ? "nothing" : JSON.stringify(text.slice(0, 300));
}

/** curl's `time_total` for one token request, in ms: the request alone, without the shell pipeline. */
async function curlTime(terminal: TerminalDriver, resource: string): Promise<string> {
  const { output } = await terminal.run(`curl -s -o /dev/null -w '%{http_code} %{time_total}\\n' http://localhost:50342/oauth2/token --data "resource=${resource}" -H Metadata:true`);
  const [status, seconds] = (output.at(-1) ?? "").trim().split(" ");
  if (status !== "200" || seconds === undefined) throw new Error(`token request for ${resource} failed with HTTP ${status ?? "?"}`);
  return (Number(seconds) * 1000).toFixed(0);
}

function parseVmNames(body: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [];
  }
  if (typeof parsed !== "object" || parsed === null || !("value" in parsed) || !Array.isArray(parsed.value)) return [];
  return parsed.value.flatMap((vm: unknown) => (typeof vm === "object" && vm !== null && "name" in vm && typeof vm.name === "string" ? [vm.name] : []));
}

async function main(): Promise<number> {
  const options = parseOptions();
  if (options === undefined) return 0;
  log("authbridge demo — the Cloud Shell token round trip on a local Entra ID emulator");
  const stack = await startStack({ endpointPort: CLOUD_SHELL_PORT, logLevel: options.logLevel });
  printStack(stack);
  const deadline = setTimeout(() => {
    process.stderr.write(`demo: no result within ${options.timeoutMs / 1000} s; giving up\n`);
    process.exit(1);
  }, options.timeoutMs);
  try {
    if (options.keepRunning) await keepRunning(stack);
    else await runRoundTrip(stack);
  } finally {
    clearTimeout(deadline);
    log("… shutting down");
    await stack.close();
  }
  log("✓ demo complete");
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)} (npm run demo -- --help lists the options)\n`);
    process.exit(1);
  },
);
