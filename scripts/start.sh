#!/usr/bin/env bash
# npm start: install, build when the sources changed, then run Meshdeck (app, registry, collector,
# demo fleet) as one process tree. Settings come from the environment; see README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

bash scripts/prepare.sh

export MESHDECK_HOST="${MESHDECK_HOST:-127.0.0.1}"
export PORT="${PORT:-3000}"
# The compat APIs are on for the demo: Consul clients register at 8500 (unset or empty turns it off).
export MESHDECK_CONSUL_PORT="${MESHDECK_CONSUL_PORT-8500}"
# The Eureka REST API for the demo, on Eureka's own port; MESHDECK_EUREKA_PORT= (empty) turns it off.
export MESHDECK_EUREKA_PORT="${MESHDECK_EUREKA_PORT-8761}"
exec bash scripts/serve.sh
