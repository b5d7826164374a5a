import { readFile } from "node:fs/promises";
import { JWT_PATTERN, signInThroughPortal, startStack } from "@authbridge/cli";
import { curl, curlToken, expect, test } from "../fixtures.js";

const ARM = "https://management.azure.com/";
const GRAPH = "https://graph.microsoft.com/";

test("all logs of a stack run at debug level hold no token", async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  const logFile = testInfo.outputPath("stack.log");
  const stack = await startStack({ endpointPort: 0, logLevel: "debug", logFile });
  const tokens: string[] = [];
  try {
    const user = stack.users[0];
    if (user === undefined) throw new Error("no demo user");
    const { endpointUrl } = await signInThroughPortal(page, stack, user);
    // Every path a token travels: cold and cached, both dialects, several audiences, refusals and AAD errors.
    for (const resource of [ARM, ARM, GRAPH, "https://vault.azure.net"]) {
      const result = await curlToken(endpointUrl, resource);
      expect(result.status).toBe(200);
      tokens.push(String((result.json as Record<string, unknown>).access_token));
    }
    const imds = await curl([`${endpointUrl}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=${encodeURIComponent("https://storage.azure.com/")}`, "-H", "Metadata: true"]);
    expect(imds.status).toBe(200);
    tokens.push(String((imds.json as Record<string, unknown>).access_token));
    expect((await curlToken(endpointUrl, "https://evil.example/")).status).toBe(400);
    stack.emulator.faults.set({ refuseResources: ["https://batch.core.windows.net/"] });
    expect((await curlToken(endpointUrl, "https://batch.core.windows.net/")).status).toBe(400);
    // A relay API call with a user token in the Authorization header, refused for its origin.
    expect((await curl([`${stack.relay.url}/api/sessions`, "-X", "POST", "-H", `Authorization: Bearer ${tokens[0] ?? ""}`, "-H", "Origin: http://evil.example"])).status).toBe(403);
  } finally {
    await page.close();
    await stack.close();
  }

  const logs = await readFile(logFile, "utf8");
  const lines = logs.split("\n").filter((line) => line !== "");
  // The collection works: every process of the stack wrote here, at debug level.
  for (const name of ["authbridge-relay", "authbridge-endpoint", "authbridge-aad-emulator"]) expect(lines.some((line) => line.includes(`"name":"${name}"`)), name).toBe(true);
  expect(lines.some((line) => line.includes('"level":20'))).toBe(true);
  expect(lines.length).toBeGreaterThan(20);
  console.log(`[figures] log lines scanned: ${lines.length}, token-shaped strings: ${lines.filter((line) => JWT_PATTERN.test(line)).length}`);
  expect(tokens.length).toBe(5);
  for (const token of tokens) expect(logs).not.toContain(token.slice(0, 40));
  expect(lines.filter((line) => JWT_PATTERN.test(line))).toEqual([]);
});
