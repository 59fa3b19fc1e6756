#!/usr/bin/env bash
# npm test: every test, from a fresh clone. Installs what the tests need from Debian (Chromium,
# PostgreSQL), starts PostgreSQL on 127.0.0.1, runs the unit, integration and end-to-end tests,
# and stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  echo "meshdeck test: installing ${need[*]} from Debian"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

bash scripts/prepare.sh
mkdir -p .tmp
rm -rf .tmp/results && mkdir -p .tmp/results

source scripts/postgres.sh
trap postgres_stop EXIT
postgres_start "${MESHDECK_TEST_PG_PORT:-55432}"

status=0
echo "meshdeck test: unit and integration tests (vitest)"
node_modules/.bin/vitest run --reporter=default --reporter=json --outputFile.json=.tmp/results/vitest.json || status=1
echo "meshdeck test: end-to-end tests (Playwright in Debian's Chromium)"
PLAYWRIGHT_JSON_OUTPUT_NAME=.tmp/results/playwright.json node_modules/.bin/playwright test --reporter=list,json || status=1

node scripts/test-summary.mjs .tmp/results/vitest.json .tmp/results/playwright.json || status=1
exit $status
