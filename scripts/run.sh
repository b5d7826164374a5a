#!/usr/bin/env bash
# The two commands of the README:
#   npm run demo   → scripts/run.sh demo   (the round trip on the embedded emulator)
#   npm test       → scripts/run.sh test   (lint, types, unit tests, Playwright e2e)
#   npm run bench  → scripts/run.sh bench  (the benchmark table, a few minutes)
# Both install what they need first (scripts/bootstrap.sh), idempotently.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/bootstrap.sh
source scripts/bootstrap.sh

command=${1:-}
shift || true
case "$command" in
  demo)
    bootstrap
    step "running the demo"
    exec node packages/cli/dist/demo.js "$@"
    ;;
  test)
    bootstrap
    step "lint"
    pnpm run lint
    step "type check"
    pnpm run typecheck
    step "unit tests (vitest)"
    pnpm run test:unit
    step "end-to-end tests (Playwright, Chromium)"
    pnpm run test:e2e
    ;;
  bench)
    bootstrap
    step "running the benchmarks (a few minutes)"
    exec node bench/dist/main.js "$@"
    ;;
  *)
    echo "usage: scripts/run.sh demo|test|bench [args]" >&2
    exit 2
    ;;
esac
