#!/usr/bin/env bash
# The mechanical guard (issue 13): types, format, lint rules and import layers; fails on any finding.
# Run after scripts/prepare.sh: the typed route types that tsc and ESLint read come from `next build`.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .tmp

status=0
check() {
  local name=$1
  shift
  echo "meshdeck check: $name"
  "$@" || { echo "meshdeck check: $name failed"; status=1; }
}
check "types (tsc)" node_modules/.bin/tsc --noEmit -p .
check "format (prettier)" npm run --silent format:check -- --log-level warn
# No lint cache here: it keys on each file alone, so a file whose imports changed type would keep its old verdict.
check "lint (eslint)" npm run --silent lint -- --no-cache
check "imports (dependency-cruiser)" npm run --silent deps
exit $status
