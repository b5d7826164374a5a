import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { JWT_PATTERN, signInThroughPortal, startStack } from "@authbridge/cli";
import { expect, test } from "../fixtures.js";
import { DEBIAN_PYTHON, clientEnv, describeRun, field, lastJsonObject, recordCompat, run } from "./compat/support.js";

// Every test that binds the Cloud Shell port 50342 lives in this file: tests in one file run one after another in
// one worker, so they never overlap (the other files' stacks use free ports).

const demo = fileURLToPath(new URL("../../packages/cli/dist/demo.js", import.meta.url));

test("the demo command runs the seed's commands on port 50342 and prints no token", async () => {
  test.setTimeout(120_000);
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [demo, "--timeout", "100", "--log-level", "debug"], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.on("error", reject);
    child.on("close", (exitCode) => resolve({ code: exitCode, output }));
  });
  expect(output).toContain("virtual machines: vm-web-01, vm-api-01, vm-batch-01");
  expect(output).toMatch(/aud\s+https:\/\/management\.azure\.com\//);
  expect(output).toMatch(/cold request \(through the browser\): \d+ ms; cached request: \d+ ms/);
  expect(output).toMatch(/curl's own time_total: cold \d+ ms \(Graph, through the browser\), cached \d+ ms \(ARM\)/);
  expect(output).toContain("✓ demo complete");
  // Nothing shaped like a token anywhere: not the demo's lines, not the relay's or the endpoint's logs.
  expect(output).not.toMatch(JWT_PATTERN);
  expect(code).toBe(0);
});

test("MSAL Python ManagedIdentityClient in Cloud Shell mode (fixed port 50342) gets a token through the browser", async ({ page }) => {
  test.setTimeout(120_000);
  const probe = await run(DEBIAN_PYTHON, ["-c", "import msal; print(msal.__version__, hasattr(msal, 'ManagedIdentityClient'))"], { PATH: "/usr/bin:/bin" });
  const [version = "not installed", available = "False"] = probe.stdout.trim().split(" ");
  recordCompat({ client: "MSAL Python ManagedIdentityClient (Debian python3-msal)", version, dialect: "Cloud Shell", checks: "AZUREPS_HOST_ENVIRONMENT=cloud-shell/1.0; fixed port 50342; aud; expires_in; token_type" });
  test.skip(
    available !== "True",
    `Debian's python3-msal is ${version}: ManagedIdentityClient first shipped in MSAL Python 1.29, and pip's registry is not reachable from this machine, so there is no MSAL Python with managed identity to run.`,
  );
  const stack = await startStack({ endpointPort: 50342, logLevel: "warn" });
  try {
    const user = stack.users[0];
    if (user === undefined) throw new Error("no demo user");
    const { endpointUrl } = await signInThroughPortal(page, stack, user);
    expect(endpointUrl).toBe("http://127.0.0.1:50342");
    const { env, cleanup } = await clientEnv(stack, endpointUrl);
    try {
      expect(env.AZUREPS_HOST_ENVIRONMENT).toBe("cloud-shell/1.0");
      const result = await run(DEBIAN_PYTHON, ["msal_python.py", "https://management.azure.com/"], env);
      expect(result.code, describeRun(result)).toBe(0);
      const out = lastJsonObject(result.stdout);
      expect(field(out, "aud", "string")).toBe("https://management.azure.com/");
      expect(field(out, "tokenType", "string")).toBe("Bearer");
      expect(field(out, "expiresIn", "number")).toBeGreaterThan(3000);
    } finally {
      cleanup();
    }
  } finally {
    await stack.close();
  }
});
