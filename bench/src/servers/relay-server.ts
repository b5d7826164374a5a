/**
 * Child process running one real relay (startRelay) behind a test authority,
 * with an external launcher that reports each session's agent token over IPC
 * (as a container orchestrator would receive it). Used by the relay-forwarding
 * and sessions scenarios. Run with --expose-gc to answer { type: "measure" }.
 *
 * Env: BENCH_MAX_SESSIONS (maxSessionsPerUser, raised by option for the bench),
 * BENCH_LOG_LEVEL (default "info", as in production; stdout is discarded).
 */
import { join } from "node:path";
import { writeHeapSnapshot } from "node:v8";
import { createExternalLauncher, createRelayLogger, startRelay } from "@authbridge/relay";
import { BENCH_CONSOLE_ORIGIN } from "../harness/relay-clients.js";
import { BENCH_AUDIENCE, BENCH_ISSUER, startTestAuthority } from "../harness/test-authority.js";
import { answerCpuQueries } from "../harness/cpu.js";


answerCpuQueries();
const authority = await startTestAuthority();
const level = process.env.BENCH_LOG_LEVEL ?? "info";
const relay = await startRelay({
  auth: { issuer: BENCH_ISSUER, audience: BENCH_AUDIENCE, jwksUri: authority.jwksUri },
  consoleUrl: `${BENCH_CONSOLE_ORIGIN}/`,
  allowedOrigins: [BENCH_CONSOLE_ORIGIN],
  corsOrigins: ["http://localhost:9"],
  maxSessionsPerUser: Number(process.env.BENCH_MAX_SESSIONS ?? "5"),
  launcher: createExternalLauncher({
    onLaunch: ({ sessionId, agentToken }) => {
      process.send?.({ type: "launched", sessionId, agentToken });
    },
  }),
  logger: createRelayLogger({ level }),
});

const gc = (globalThis as { gc?: () => void }).gc;
process.on("message", (message: unknown) => {
  if (typeof message !== "object" || message === null || !("type" in message) || message.type !== "measure") return;
  for (let i = 0; i < 3; i++) gc?.();
  // BENCH_HEAPSNAPSHOT_DIR: a heap snapshot at each measurement, to see what a session holds.
  const snapshotDir = process.env.BENCH_HEAPSNAPSHOT_DIR;
  if (snapshotDir !== undefined && snapshotDir !== "") writeHeapSnapshot(join(snapshotDir, `relay-${relay.sessionCount()}.heapsnapshot`));
  const usage = process.memoryUsage();
  process.send?.({ type: "memory", heapUsed: usage.heapUsed, external: usage.external, rss: usage.rss, sessions: relay.sessionCount() });
});
process.on("SIGTERM", () => {
  void relay.close().then(() => authority.close()).finally(() => process.exit(0));
});
process.send?.({ type: "ready", url: relay.url, userToken: authority.userToken });
