#!/usr/bin/env bash
# npm test: the checks (scripts/check.sh) and every test, from a fresh clone. Installs what the tests need from
# Debian (Chromium, PostgreSQL, Prometheus, etcd, ZooKeeper, HAProxy, nginx), starts PostgreSQL on 127.0.0.1, runs the unit, integration and
# end-to-end tests, and stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql)
[ -x /usr/bin/prometheus ] || need+=(prometheus)
[ -x /usr/bin/etcd ] || need+=(etcd-server)
[ -x /usr/share/zookeeper/bin/zkServer.sh ] || need+=(zookeeper)
[ -x /usr/sbin/haproxy ] || need+=(haproxy)
[ -x /usr/sbin/nginx ] || need+=(nginx)
[ -x /usr/bin/prometheus-alertmanager ] || need+=(prometheus-alertmanager)
if [ ${#need[@]} -gt 0 ]; then
  echo "meshdeck test: installing ${need[*]} from Debian"
  # Packages such as prometheus and postgresql start their service on install; tests start their own.
  # A policy-rc.d answering 101 forbids invoke-rc.d and deb-systemd-invoke to start anything.
  guard=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    guard=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$guard" >/dev/null
    $sudo chmod 755 "$guard"
  fi
  installed=0
  { $sudo apt-get update -qq &&
    $sudo env DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; } || installed=$?
  [ -z "$guard" ] || $sudo rm -f "$guard"
  [ "$installed" = 0 ] || exit "$installed"
fi

bash scripts/prepare.sh
mkdir -p .tmp
# The guard first: a type, format, lint or layer finding fails the run before any test starts.
bash scripts/check.sh
rm -rf .tmp/results && mkdir -p .tmp/results

source scripts/postgres.sh
trap postgres_stop EXIT
postgres_start "${MESHDECK_TEST_PG_PORT:-25432}"

status=0
echo "meshdeck test: unit and integration tests (vitest)"
node_modules/.bin/vitest run --reporter=default --reporter=json --outputFile.json=.tmp/results/vitest.json || status=1
echo "meshdeck test: end-to-end tests (Playwright in Debian's Chromium)"
PLAYWRIGHT_JSON_OUTPUT_NAME=.tmp/results/playwright.json node_modules/.bin/playwright test --reporter=list,json || status=1

node scripts/test-summary.mjs .tmp/results/vitest.json .tmp/results/playwright.json || status=1
exit $status
