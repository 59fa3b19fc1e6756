#!/usr/bin/env bash
# Installs dependencies, generates the Prisma clients and builds the app, each only when needed.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "meshdeck: installing dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi

if [ ! -f lib/db/generated/sqlite/client.ts ] || [ prisma/schema.prisma -nt lib/db/generated/sqlite/client.ts ]; then
  echo "meshdeck: generating the Prisma clients"
  node scripts/prisma-generate.mjs
fi

# Rebuild when any tracked source differs from what the last build was made from.
stamp=$(git ls-files -s -- app components lib demo instrumentation.ts proxy.ts next.config.mjs package-lock.json postcss.config.mjs tsconfig.json prisma 2>/dev/null | sha1sum | cut -c1-40)
# Changed and new (untracked) sources count too.
dirty=$( { git diff --no-ext-diff -- app components lib demo instrumentation.ts proxy.ts next.config.mjs; git ls-files --others --exclude-standard -z -- app components lib demo proxy.ts | xargs -0 -r sha1sum; } 2>/dev/null | sha1sum | cut -c1-40)
if [ ! -f .next/BUILD_ID ] || [ "$(cat .next/meshdeck-stamp 2>/dev/null)" != "$stamp-$dirty" ]; then
  echo "meshdeck: building the app (next build)"
  node_modules/.bin/next build
  echo "$stamp-$dirty" > .next/meshdeck-stamp
fi
