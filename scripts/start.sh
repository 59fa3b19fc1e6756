#!/usr/bin/env bash
# npm start: install, build when the sources changed, then run Meshdeck (app, registry, collector,
# demo fleet) as one process tree. Settings come from the environment; see README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

bash scripts/prepare.sh

export MESHDECK_HOST="${MESHDECK_HOST:-127.0.0.1}"
export PORT="${PORT:-3000}"
# The demo speaks Nacos's open API too, on Nacos's own port (set it empty to turn it off).
export MESHDECK_NACOS_PORT="${MESHDECK_NACOS_PORT-8848}"
exec bash scripts/serve.sh
