#!/usr/bin/env bash
# npm start: install, build when the sources changed, then run Meshdeck (app, registry, collector,
# demo fleet) as one process tree. Settings come from the environment; see README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

bash scripts/prepare.sh

export MESHDECK_HOST="${MESHDECK_HOST:-127.0.0.1}"
export PORT="${PORT:-3000}"
# The compat APIs are on for the demo, on each registry's own port; set one empty to turn it off.
export MESHDECK_CONSUL_PORT="${MESHDECK_CONSUL_PORT-8500}"
export MESHDECK_EUREKA_PORT="${MESHDECK_EUREKA_PORT-8761}"
export MESHDECK_NACOS_PORT="${MESHDECK_NACOS_PORT-8848}"
exec bash scripts/serve.sh
