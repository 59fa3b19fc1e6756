#!/usr/bin/env bash
# Runs the built app's HTTP server (server.mjs) on MESHDECK_HOST:PORT; every launcher (npm start, the tests,
# the benchmarks) goes through here, so the process settings below are here and nowhere else.
# - The young generation of 16-32 MB and no memory reducer are for long polls: a held config watch lives 30 s, so
#   renewals come in bursts with idle between, and by default V8 then shrank the young generation to 1 MB and ran
#   memory-reducing full GCs after each burst; with 1000 watchers that was ~25 % of the server's idle CPU
#   (docs/config.md). Costs about 50 MB of RSS.
# - The old generation grows by at most 30 % past what the last full GC kept: by default V8 lets it grow up to 4x on
#   a machine with memory to spare, and under a heartbeat or registration load the heap filled with garbage waiting
#   for its full GC (10,000 instances held: a live set of ~90 MB in a heap of ~400 MB).
# - Not --liftoff-only (Prisma's WebAssembly query compiler on V8's baseline tier, as the collector runs it): ~60 MB
#   less RSS, but heartbeats at 10,000 instances went from ~21,700/s (p99 11 ms) to 9,900-14,900/s (p99 21-38 ms).
# - glibc's malloc keeps at most 2 arenas (its default is 8 per core), each holding freed memory of its own: ~20 MB
#   less RSS under load; the work is on the main thread, so its threads do not contend for them.
set -euo pipefail
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
exec node --min-semi-space-size=16 --max-semi-space-size=32 --no-memory-reducer --heap-growing-percent=30 "$(dirname "$0")/../server.mjs"
