// `npm run bench:status [-- --no-doc]`: the service status job and the services list's server time and payload at
// Meshdeck's design size (1,000 services, 10,000 instances), on a fresh SQLite database under .tmp/bench; a section
// in docs/benchmarks.md. Seeds through bench/metrics/seed.ts, then builds the 1 min rows as the collector does.
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";

const root = process.cwd();
const runDir = resolve(root, ".tmp", "bench", `status-${new Date().toISOString().replace(/[:.]/g, "-")}`);
mkdirSync(runDir, { recursive: true });
// Before lib/db is loaded: its client is made on import, from the environment.
process.env.DATABASE_URL = `file:${resolve(runDir, "bench.db")}`;

async function main() {
  const { benchStatus } = await import("./status-bench");
  await benchStatus({ writeDoc: !process.argv.includes("--no-doc") });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
