// `npm run bench:status [-- --no-doc] [--no-pages] [--prepare]`: the service status job and the services list's server
// time and payload at Meshdeck's design size (1,000 services, 10,000 instances), on a fresh SQLite database under
// .tmp/bench, then the pages' load times in Chromium against the built app on that database; a section in
// docs/benchmarks.md. Seeds through bench/metrics/seed.ts, then builds the 1 min rows as the collector does.
// --prepare only builds the committed app (once per state of its sources), so a timed run starts at once.
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";

const root = process.cwd();
const runDir = resolve(root, ".tmp", "bench", `status-${new Date().toISOString().replace(/[:.]/g, "-")}`);
mkdirSync(runDir, { recursive: true });
// Before lib/db is loaded: its client is made on import, from the environment.
// The file the app is started on for the page timings (bench/gateway/app.ts startSignedIn).
process.env.DATABASE_URL = `file:${resolve(runDir, "meshdeck.db")}`;

async function main() {
  if (process.argv.includes("--prepare")) {
    const { prepareApp } = await import("../gateway/app");
    const app = prepareApp({ root, logFile: resolve(runDir, "build.log"), log: console.log });
    console.log(app.built ? `built ${app.commit.slice(0, 12)} in ${app.buildSeconds!.toFixed(0)} s` : `${app.commit.slice(0, 12)} is built already`);
    return;
  }
  const { benchStatus } = await import("./status-bench");
  await benchStatus({ writeDoc: !process.argv.includes("--no-doc"), pages: process.argv.includes("--no-pages") ? null : { root, runDir } });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
