import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { JWT_PATTERN } from "@authbridge/cli";
import { expect, test } from "../fixtures.js";

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
