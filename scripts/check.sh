#!/usr/bin/env bash
# The mechanical guard (issue 13): types, format, lint rules and import layers; fails on any finding.
# Run after scripts/prepare.sh: the typed route types that tsc and ESLint read come from `next build`.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .tmp

# The four run at once, each into its own log, shown in order once all are done: tsc and ESLint each use one core,
# so on 2 cores the guard takes about as long as ESLint alone instead of the sum.
names=()
logs=()
pids=()
# Interrupted, the guard takes its checks down with it.
trap 'kill "${pids[@]}" 2>/dev/null; exit 130' INT TERM
check() {
  names+=("$1")
  logs+=("$(mktemp .tmp/check.XXXXXX)")
  shift
  "$@" >"${logs[-1]}" 2>&1 &
  pids+=($!)
}
check "types (tsc)" node_modules/.bin/tsc --noEmit -p .
check "format (prettier)" npm run --silent format:check -- --log-level warn
# No lint cache here: it keys on each file alone, so a file whose imports changed type would keep its old verdict.
check "lint (eslint)" npm run --silent lint -- --no-cache
check "imports (dependency-cruiser)" npm run --silent deps

status=0
for i in "${!pids[@]}"; do
  echo "meshdeck check: ${names[$i]}"
  failed=0
  wait "${pids[$i]}" || failed=1
  cat "${logs[$i]}"
  rm -f "${logs[$i]}"
  [ "$failed" = 0 ] || { echo "meshdeck check: ${names[$i]} failed"; status=1; }
done
exit $status
