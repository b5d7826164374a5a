import { expect, test } from "../fixtures.js";

// The smoke version of the benchmark's stampede scenario (bench/src/scenarios/round-trip.ts):
// it asserts what the benchmark counts, at the same size, never how fast.
const RESOURCE = "https://vault.azure.net";
const STAMPEDE = 100;

interface Answer {
  status: number;
  accessToken: unknown;
}

async function requestToken(endpointUrl: string): Promise<Answer> {
  const response = await fetch(`${endpointUrl}/oauth2/token`, {
    method: "POST",
    headers: { metadata: "true", "content-type": "application/x-www-form-urlencoded" },
    body: `resource=${encodeURIComponent(RESOURCE)}`,
  });
  const body: unknown = await response.json();
  const accessToken = typeof body === "object" && body !== null && "access_token" in body ? body.access_token : undefined;
  return { status: response.status, accessToken };
}

test.describe("benchmark smoke: stampede", () => {
  test(`${STAMPEDE} concurrent requests for one uncached audience make exactly one browser round trip`, async ({ session, stack }) => {
    const answers = await Promise.all(Array.from({ length: STAMPEDE }, () => requestToken(session.endpointUrl)));
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(STAMPEDE);
    expect(new Set(answers.map((answer) => answer.accessToken)).size).toBe(1);
    // Give a stray second round trip time to show up before counting.
    await session.page.waitForTimeout(300);
    expect(stack.emulator.stats().tokensIssued[RESOURCE]).toBe(1);
    await expect(session.page.locator('[data-testid="activity"] li').filter({ hasText: RESOURCE })).toHaveCount(1);
  });
});
