#!/usr/bin/env node
import { main } from "./cli/main.js";
import { processIo } from "./cli/process-io.js";

/** If a stray handle keeps the event loop alive after a clean shutdown, exit anyway. */
const EXIT_GRACE_MS = 2_000;

const code = await main(process.argv.slice(2), processIo());
process.exitCode = code;
setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
