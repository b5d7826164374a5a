import { defineConfig } from "@playwright/test";

const CI = Boolean(process.env.CI);

export default defineConfig({
  testDir: "./tests",
  outputDir: "./test-results",
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  // Each worker runs its own stack (emulator, relay, apps, endpoints) on free ports.
  workers: 2,
  // One retry in CI against a slow, shared 2-core machine; a retried pass is still reported as "flaky".
  retries: CI ? 1 : 0,
  forbidOnly: CI,
  // compat-reporter writes test-results/compat-results.json, the input of scripts/compat-matrix.js (README matrix).
  reporter: [["list"], ["./compat-reporter.ts"]],
  use: {
    browserName: "chromium",
    ignoreHTTPSErrors: true,
    launchOptions: {
      executablePath: process.env.AUTHBRIDGE_CHROMIUM ?? "/usr/bin/chromium",
      args: ["--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"],
    },
    screenshot: "only-on-failure",
  },
});
