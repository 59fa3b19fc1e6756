#!/usr/bin/env bash
# Runs the built app's HTTP server (server.mjs) on MESHDECK_HOST:PORT; every launcher (npm start, the tests,
# the benchmarks) goes through here. The V8 flags are for long polls: a held config watch lives 30 s, so
# renewals come in bursts with idle between, and by default V8 then shrank the young generation to 1 MB and
# ran memory-reducing full GCs after each burst; with 1000 watchers that was ~25 % of the server's idle CPU
# (docs/config.md). Costs about 50 MB of RSS.
set -euo pipefail
exec node --min-semi-space-size=16 --max-semi-space-size=32 --no-memory-reducer "$(dirname "$0")/../server.mjs"
