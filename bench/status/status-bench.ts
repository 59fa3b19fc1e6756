import { performance } from "node:perf_hooks";
import { setServiceStatus } from "@/lib/collector/set-service-status";
import { db } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { getEnv, metricsRetainMs } from "@/lib/env";
import { compactRollups } from "@/lib/metrics/rollup/rollup-store";
import { listServicePage } from "@/lib/status/service-list";
import { parseServiceListQuery } from "@/lib/status/service-list-query";
import { seedMetrics } from "../metrics/seed";
import { renderPageTimings } from "./page-report";
import { timeStatusPages } from "./page-timings";
import { machine, markdownTable, percentile, replaceInDoc } from "../shared/report";

const fleet = { services: 1000, instancesPerService: 10, edgesPerService: 0, hours: 1, instanceRows: false };
const hourMs = 3_600_000;
const runs = 30;

// What the overview and the services list ask for, as their URLs say it.
const queries: [string, string][] = [
  ["overview: least healthy first, 10", "sort=status&limit=10"],
  ["services list: default (name), 50", ""],
  ["sorted by p99, 50", "sort=p99"],
  ["sorted by errors, page 15", "sort=errors&page=15"],
  ["filtered: degraded", "status=degraded"],
  ["filtered: tag tier-1, source builtin", "tag=tier-1&source=builtin"],
  ["search: svc-09", "q=svc-09"],
  ["largest page: 200", "limit=200"],
];

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

const round = (ms: number | null) => (ms === null ? "–" : ms.toFixed(1));

export async function benchStatus({ writeDoc, pages }: { writeDoc: boolean; pages: { root: string; runDir: string } | null }) {
  await migrateDatabase();
  if ((await db.service.count()) > 0) throw new Error("bench:status needs an empty database");
  const now = Date.now();
  const seedStarted = performance.now();
  const seeded = await seedMetrics({ ...fleet, now });
  // The 1 min rows of the last hour, as the collector's compaction writes them: the sparklines read these.
  await compactRollups({ services: seeded.services, finer: 10, resolution: 60, fromMs: now - hourMs, toMs: now });
  // The seeded instances send no heartbeat: with the default 3 s TTL the app expired all 10,000 while its pages were
  // timed (a write storm of 10,000 events in 10 s, read in the hand-written notes). A day's TTL keeps the fleet as seeded.
  await db.instance.updateMany({ data: { checkTtlMs: 86_400_000 } });
  const instances = await db.instance.count();
  console.log(
    `bench:status seeded ${seeded.services.length} services, ${instances} instances, ${seeded.rows} rollup rows in ${((performance.now() - seedStarted) / 1000).toFixed(0)} s`,
  );

  const retainMs = metricsRetainMs(getEnv());
  const job: number[] = [];
  let judged = { services: 0, changed: 0 };
  for (let run = 0; run < 6; run += 1) {
    const { ms, value } = await timed(() => setServiceStatus({ now: Date.now(), retainMs }));
    if (run > 0) job.push(ms);
    if (run === 0) judged = value;
  }
  const byStatus = await db.serviceStatus.groupBy({ by: ["status"], _count: { _all: true } });
  console.log(`bench:status status job: ${judged.services} services judged; p50 ${round(percentile(job, 50))} ms`, byStatus);

  const rows: string[][] = [];
  for (const [name, search] of queries) {
    const query = parseServiceListQuery(new URLSearchParams(search));
    const times: number[] = [];
    let bytes = 0;
    let shown = 0;
    for (let run = 0; run < runs + 3; run += 1) {
      const { ms, value } = await timed(() => listServicePage({ query }));
      if (run < 3) continue;
      times.push(ms);
      bytes = JSON.stringify(value).length;
      shown = value.services.length;
    }
    rows.push([name, `\`${search || "(none)"}\``, String(shown), round(percentile(times, 50)), round(percentile(times, 99)), (bytes / 1024).toFixed(1)]);
    console.log(`bench:status ${name}: p50 ${round(percentile(times, 50))} ms, ${shown} rows, ${bytes} bytes`);
  }

  const shown = pages && (await timeStatusPages({ ...pages, largestService: seeded.services[0]!, log: (line) => console.log(`bench:status ${line}`) }));

  const host = machine();
  const section = [
    `## Service status and the services list: 1,000 services, 10,000 instances (${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, SQLite)`,
    "",
    `\`npm run bench:status\` on ${host.nproc} × ${host.model}, ${host.memoryGiB.toFixed(0)} GiB, Node ${host.node}. Seeded through bench/metrics/seed.ts: ${seeded.services.length} services, ${instances} instances (3 % critical), ${seeded.rows} rows of 10 s service rollups over the last hour and their 1 min rows. Times are the server's (lib/status/service-list.ts, the function GET /api/v1/services and the pages call), in process, ${runs} runs each after 3 warm-ups; the payload is the JSON the API answers.`,
    "",
    `- Status job (lib/collector/set-service-status.ts, every 10 s on one collector): p50 ${round(percentile(job, 50))} ms, max ${round(Math.max(...job))} ms over ${job.length} runs; statuses: ${byStatus.map((row) => `${row._count._all} ${row.status}`).join(", ")}.`,
    "",
    markdownTable(["Query", "URL", "Rows", "p50 ms", "p99 ms", "Payload KB"], rows),
    "",
    ...(shown ? renderPageTimings({ ...shown, host }) : []),
  ].join("\n");
  console.log(section);
  if (writeDoc) replaceInDoc("docs/benchmarks.md", section.split("\n")[0]!.replace(/ \(.*$/, ""), section);
}
