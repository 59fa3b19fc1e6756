// `npm run bench:metrics [-- --minutes N] [-- --database postgres] [-- --no-doc]`: 1000 real metrics
// endpoints on 127.0.0.1, scraped every 10 s by Meshdeck's collector (its own process) and by
// Prometheus in the same run; CPU and RSS of both over a steady window, proof that both scraped
// everything, then the 24 h chart and topology query benchmarks; a section in docs/benchmarks.md.
// Also: --warmup S (default 40), --targets N (default 1000, for a quick try), --no-queries, and
// --profile (a V8 CPU profile of the collector, its top functions printed).
import { fork, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { profileShares } from "../shared/cpu-profile";
import { readMachineBusySeconds, UsageSampler } from "../shared/proc";
import { askingChild, collectorEnv, collectorNodeArgs, runBench, sleep, startPostgres, stopChild, type TAsk } from "../shared/process";
import { percentile, replaceInDoc } from "../shared/report";
import { calleesOf, instanceId, perService, serviceName, serviceOf } from "./fleet";
import { job, prometheusVersion, queryNumber, readSelfMetrics, startReferencePrometheus } from "./prometheus-side";
import type { TBuckets } from "../../lib/metrics/types";
import {
  docHeading,
  evaluate,
  renderFigures,
  renderSection,
  renderTable,
  renderTargets,
  type TFigures,
  type TQuery,
  type TResult,
  type TScraperSide,
} from "./report";
import type { TScrapeCounts, TTargetsMessage, TTargetsReport } from "./targets";

const args = process.argv.slice(2);
function flag(name: string, fallback: string): string {
  const at = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (at === -1) return fallback;
  return args[at]!.includes("=") ? args[at]!.split("=")[1]! : (args[at + 1] ?? fallback);
}
const minutes = Number(flag("minutes", "3"));
const warmupSeconds = Number(flag("warmup", "40"));
const targetCount = Number(flag("targets", "1000"));
const database = flag("database", "sqlite");
const writeDoc = !args.includes("--no-doc");
const runQueries = !args.includes("--no-queries");
const profile = args.includes("--profile");
const perProcess = 250;
const steadySeconds = Math.round(minutes * 60);
const services = Math.ceil(targetCount / perService);
const pgPort = 55590;

const root = process.cwd();
const runDir = resolve(root, ".tmp", "bench", `metrics-${new Date().toISOString().replace(/[:.]/g, "-")}`);
const children: { child: ChildProcess; name: string; group: boolean }[] = [];
const cleanups: (() => Promise<void> | void)[] = [];

function log(message: string) {
  console.log(`${new Date().toISOString()} bench:metrics ${message}`);
}

function track(child: ChildProcess, name: string, group: boolean) {
  children.push({ child, name, group });
  writeFileSync(join(runDir, "pids.txt"), children.map((c) => `${c.child.pid} ${c.name}${c.group ? " (process group)" : ""}`).join("\n") + "\n");
  return child;
}

type TTargetsProcess = { child: ChildProcess; ask: TAsk<TTargetsMessage, TTargetsReport> };

/** One process serving `count` targets from global index `first`; resolves with its ports in order. */
async function startTargets(first: number, count: number): Promise<{ process: TTargetsProcess; ports: number[] }> {
  const child = fork(join(root, "bench", "metrics", "targets.ts"), [], {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, BENCH_FIRST: String(first), BENCH_COUNT: String(count), BENCH_SERVICES: String(services) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    detached: true,
  });
  track(child, `targets ${first}..${first + count - 1}`, true);
  const { ask, ready } = await askingChild<TTargetsMessage, TTargetsReport>(child, "targets");
  return { process: { child, ask }, ports: ready.ports };
}

/** Scrapes each target answered, by scraper, summed over the target processes in global index order. */
async function scrapeCounts(processes: TTargetsProcess[]): Promise<TScrapeCounts> {
  const parts = await Promise.all(processes.map((p) => p.ask({ type: "counts" })));
  return { meshdeck: parts.flatMap((p) => p.meshdeck), prometheus: parts.flatMap((p) => p.prometheus), other: parts.reduce((sum, p) => sum + p.other, 0) };
}

/** A query benchmark in its own process on its own fresh database; its last stdout line is JSON. */
async function runQuery(kind: "chart" | "topology", databaseUrl: string): Promise<TQuery> {
  const module = join(root, "bench", "metrics", `${kind === "chart" ? "chart" : "topology"}-query.ts`);
  if (!existsSync(module)) return { error: `${module.slice(root.length + 1)} is not in the tree` };
  const out = openSync(join(runDir, `${kind}-query.log`), "a");
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "bench/metrics/query-entry.ts", kind], {
    env: { ...process.env, DATABASE_URL: databaseUrl, MESHDECK_LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", out],
    detached: true,
  });
  track(child, `${kind} query`, true);
  let stdout = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  const code = await new Promise<number | null>((done) => child.once("exit", (c) => done(c)));
  writeFileSync(join(runDir, `${kind}-query.out`), stdout);
  const last = stdout.trim().split("\n").at(-1) ?? "";
  if (code !== 0) return { error: `exited ${code}; see ${join(runDir, `${kind}-query.log`)}` };
  try {
    return JSON.parse(last) as TQuery;
  } catch {
    return { error: `no JSON result; see ${join(runDir, `${kind}-query.out`)}` };
  }
}

function side(sampler: UsageSampler, from: number, to: number, served: { before: number[]; after: number[] }): TScraperSide {
  const window = sampler.window(from, to);
  const inside = sampler.samples.filter((s) => s.at >= from && s.at <= to);
  const perTarget = served.after.map((n, i) => n - (served.before[i] ?? 0));
  const mbOf = (bytes: number | undefined) => (bytes ?? 0) / 2 ** 20;
  return {
    cpuPercent: window?.cpuPercent ?? null,
    rssMb: window ? { peak: mbOf(window.peakRss), mean: mbOf(window.meanRss), atStart: mbOf(inside[0]?.rssBytes), atEnd: mbOf(inside.at(-1)?.rssBytes) } : null,
    scrapesServed: perTarget.reduce((sum, n) => sum + n, 0),
    perTarget: { min: Math.min(...perTarget), max: Math.max(...perTarget) },
  };
}

async function main() {
  if (!["sqlite", "postgres"].includes(database)) throw new Error(`--database must be sqlite or postgres (got ${database})`);
  mkdirSync(runDir, { recursive: true });
  log(`run directory ${runDir}`);
  const version = prometheusVersion();

  // The runner's own Prisma client must see the benchmark's database: set it before lib/ loads.
  const postgres = database === "postgres" ? startPostgres(pgPort) : null;
  if (postgres) cleanups.push(postgres.stop);
  const databaseUrl = postgres?.url ?? `file:${join(runDir, "meshdeck.db")}`;
  process.env.DATABASE_URL = databaseUrl;
  process.env.MESHDECK_LOG_LEVEL = "warn";
  const { migrateDatabase } = await import("../../lib/db/migrate.ts");
  const { db } = await import("../../lib/db/index.ts");
  const { registerInstance } = await import("../../lib/registry/register-instance.ts");
  const { ZRegisterInstance } = await import("../../lib/registry/schemas.ts");
  cleanups.push(() => db.$disconnect());
  await migrateDatabase();

  const started = await Promise.all(
    Array.from({ length: Math.ceil(targetCount / perProcess) }, (_, i) => startTargets(i * perProcess, Math.min(perProcess, targetCount - i * perProcess))),
  );
  const targetProcesses = started.map((s) => s.process);
  const ports = started.flatMap((s) => s.ports);
  const sample = await targetProcesses[0]!.ask({ type: "sample" });
  writeFileSync(join(runDir, "payload-sample.txt"), sample.text);
  log(`${ports.length} targets listening in ${targetProcesses.length} processes; payload ${sample.series} series, ${(sample.bytes / 1024).toFixed(1)} KiB`);

  const registerStarted = Date.now();
  for (const [index, port] of ports.entries()) {
    await registerInstance({
      input: ZRegisterInstance.parse({
        service: serviceName(serviceOf(index)),
        id: instanceId(index),
        host: "127.0.0.1",
        port,
        // A TTL check is kept by heartbeats, not by the collector: it probes nothing and only scrapes.
        check: { kind: "ttl", ttl: "24h", deregisterAfter: null },
        metrics: { path: "/metrics" },
      }),
    });
  }
  log(`registered ${ports.length} instances in ${services} services in ${((Date.now() - registerStarted) / 1000).toFixed(1)} s`);

  // Both scrapers start together; both run in their own process group.
  const scrapersStarted = Date.now();
  const prometheus = await startReferencePrometheus({ targets: ports.map((port, index) => ({ service: serviceName(serviceOf(index)), port })) });
  cleanups.push(() => prometheus.stop());
  const collectorLog = openSync(join(runDir, "collector.log"), "a");
  const loopFile = join(runDir, "collector-loop.jsonl");
  // The same entrypoint as `npm run collector`, run by node itself (no tsx CLI wrapper process).
  const collector = spawn(process.execPath, [...(profile ? ["--cpu-prof", `--cpu-prof-dir=${runDir}`] : []), ...collectorNodeArgs], {
    env: { ...process.env, ...collectorEnv, DATABASE_URL: databaseUrl, MESHDECK_LOG_LEVEL: "warn", BENCH_LOOP_FILE: loopFile },
    stdio: ["ignore", collectorLog, collectorLog],
    detached: true,
  });
  const collectorStarted = Date.now();
  track(collector, "collector", true);
  let stopping = false;
  let collectorDied: string | null = null;
  collector.once("exit", (code, signal) => {
    if (!stopping)
      collectorDied = `collector (pid ${collector.pid}) exited during the run: ${signal ? `signal ${signal}` : `code ${code}`}; see ${join(runDir, "collector.log")}`;
  });
  log(
    `collector pid ${collector.pid}, prometheus pid ${prometheus.pid} (${prometheus.baseUrl}, ${prometheus.dir}), targets pids ${targetProcesses.map((p) => p.child.pid).join(" ")}`,
  );

  const samplers = {
    meshdeck: new UsageSampler(collector.pid!),
    prometheus: new UsageSampler(prometheus.pid),
    targets: targetProcesses.map((p) => new UsageSampler(p.child.pid!)),
    // The postmaster and its backends: the database's share of Meshdeck's work when it is PostgreSQL.
    postgres: postgres ? new UsageSampler(Number(readFileSync(join(postgres.dir, "data", "postmaster.pid"), "utf8").split("\n")[0])) : null,
  };
  cleanups.push(() => [samplers.meshdeck, samplers.prometheus, ...samplers.targets, samplers.postgres].forEach((s) => s?.stop()));

  // Warm-up: both scrapers reach every target; no reads of the database or Prometheus inside the window.
  while (Date.now() - scrapersStarted < warmupSeconds * 1000) {
    await sleep(Math.min(10_000, warmupSeconds * 1000 - (Date.now() - scrapersStarted)));
    if (collectorDied) throw new Error(collectorDied);
    const scraped = await db.instance.count({ where: { instanceId: { startsWith: "bench-" }, lastScrapeAt: { not: null }, scrapeError: null } });
    const up = await queryNumber(prometheus, `count(up{job="${job}"} == 1)`).catch(() => Number.NaN);
    log(
      `warming up (${Math.round((Date.now() - scrapersStarted) / 1000)} s): Meshdeck scraped ${scraped}, Prometheus up ${Number.isNaN(up) ? 0 : up} of ${ports.length}`,
    );
  }

  const from = Date.now();
  const countsBefore = await scrapeCounts(targetProcesses);
  const machineBefore = readMachineBusySeconds();
  const runnerBefore = process.cpuUsage();
  const selfBefore = await readSelfMetrics(prometheus);
  log(`measuring for ${steadySeconds} s`);
  await sleep(steadySeconds * 1000);
  const to = Date.now();
  const machineAfter = readMachineBusySeconds();
  const runnerUsage = process.cpuUsage(runnerBefore);
  const countsAfter = await scrapeCounts(targetProcesses);
  const selfAfter = await readSelfMetrics(prometheus);
  if (collectorDied) throw new Error(collectorDied);
  if (!samplers.prometheus.samples.at(-1)?.rssBytes) throw new Error(`prometheus exited during the run:\n${prometheus.log().slice(-2000)}`);

  // The last whole window closes at its end plus the collector's grace (timeout + 1 s) and is flushed within 2 s more.
  log("window over; waiting for the collector's last 10 s rows");
  await sleep(12_000);
  const firstWindow = Math.ceil(from / 10_000) * 10_000;
  const endWindow = Math.floor(to / 10_000) * 10_000;
  const inWindows = { resolution: 10, at: { gte: new Date(firstWindow), lt: new Date(endWindow) } };
  const perWindow = await db.metricRollup.groupBy({ by: ["at"], where: { ...inWindows, scope: "instance" }, _count: { _all: true } });
  const windows = (endWindow - firstWindow) / 10_000;
  const instanceRows = {
    windows,
    total: perWindow.reduce((sum, w) => sum + w._count._all, 0),
    minPerWindow: perWindow.length < windows ? 0 : Math.min(...perWindow.map((w) => w._count._all)),
  };
  const serviceRows = await db.metricRollup.count({ where: { ...inWindows, scope: "service" } });
  const edgeRows = await db.metricRollup.count({ where: { ...inWindows, scope: "edge" } });
  const bench = { instanceId: { startsWith: "bench-" } };
  const failedAtEnd = await db.instance.count({ where: { ...bench, scrapeError: { not: null } } });
  const staleAtEnd = await db.instance.count({ where: { ...bench, OR: [{ lastScrapeAt: null }, { lastScrapeAt: { lt: new Date(Date.now() - 20_000) } }] } });
  const errors = await db.instance.groupBy({ by: ["scrapeError"], where: { ...bench, scrapeError: { not: null } }, _count: { _all: true } });
  const scrapeMs = (await db.instance.findMany({ where: bench, select: { scrapeMs: true } })).flatMap((i) => (i.scrapeMs === null ? [] : [i.scrapeMs]));

  // Evaluated at the window's end (PromQL's @ modifier), whenever the query runs.
  const end = `@ ${(to / 1000).toFixed(3)}`;
  const selector = `{job="${job}"}`;
  const q = (expr: string) => queryNumber(prometheus, expr);
  const prom = {
    upAtEnd: await q(`count(up${selector} ${end} == 1)`),
    upSamples: await q(`sum(count_over_time(up${selector}[${steadySeconds}s] ${end}))`),
    upSuccesses: await q(`sum(sum_over_time(up${selector}[${steadySeconds}s] ${end}))`),
    samplesPerScrape: await q(`avg(scrape_samples_scraped${selector} ${end})`),
    scrapeP50: await q(`quantile(0.5, scrape_duration_seconds${selector} ${end})`),
    scrapeP99: await q(`quantile(0.99, scrape_duration_seconds${selector} ${end})`),
  };
  // The same figures from both, per service over the whole windows: Meshdeck's 10 s service rows merged, and
  // Prometheus's increase() and histogram_quantile over the same span, evaluated at its end.
  const { mergeBuckets } = await import("../../lib/metrics/signals.ts");
  const { histogramQuantile } = await import("../../lib/metrics/rollup/quantile.ts");
  const span = `[${(endWindow - firstWindow) / 1000}s] @ ${(endWindow / 1000).toFixed(3)}`;
  const figures: TFigures[] = [];
  for (const service of Array.from({ length: Math.min(5, services) }, (_, i) => serviceName(Math.floor((i * services) / 5)))) {
    const rows = await db.metricRollup.findMany({ where: { ...inWindows, scope: "service", service }, select: { requests: true, buckets: true } });
    const buckets = rows.reduce<TBuckets>((sum, row) => (row.buckets ? mergeBuckets(sum, row.buckets) : sum), []);
    const selected = `{job="${job}",service="${service}"}`;
    const promQuantile = (q: number) =>
      queryNumber(prometheus, `histogram_quantile(${q}, sum by (le) (increase(http_request_duration_seconds_bucket${selected}${span})))`);
    figures.push({
      service,
      meshdeck: {
        requests: rows.reduce((sum, row) => sum + row.requests, 0),
        p50Ms: histogramQuantile(0.5, buckets) * 1000,
        p99Ms: histogramQuantile(0.99, buckets) * 1000,
      },
      prometheus: {
        requests: await queryNumber(prometheus, `sum(increase(http_request_duration_seconds_count${selected}${span}))`),
        p50Ms: (await promQuantile(0.5)) * 1000,
        p99Ms: (await promQuantile(0.99)) * 1000,
      },
    });
  }
  const finalSample = await targetProcesses[0]!.ask({ type: "sample" });

  // Everything is read: stop the scrapers and the targets before the query benchmarks run alone.
  stopping = true;
  for (const { child, name, group } of [...children].reverse()) await stopChild(child, name, log, { group });
  children.length = 0;
  await prometheus.stop();

  const notes: string[] = [];
  let chart: TQuery = { error: "--no-queries" };
  let topology: TQuery = { error: "--no-queries" };
  if (runQueries) {
    const queryDatabase = async (kind: string) => {
      if (!postgres) return `file:${join(runDir, `${kind}-query.db`)}`;
      // A fresh database in the same server for each query benchmark.
      const { default: pg } = await import("pg");
      const admin = new pg.Client({ connectionString: postgres.url });
      await admin.connect();
      await admin.query(`CREATE DATABASE "meshdeck_${kind}"`);
      await admin.end();
      return postgres.url.replace(/\/meshdeck$/, `/meshdeck_${kind}`);
    };
    log("chart query benchmark");
    chart = await runQuery("chart", await queryDatabase("chart"));
    log(`chart: ${JSON.stringify(chart)}`);
    log("topology query benchmark");
    topology = await runQuery("topology", await queryDatabase("topology"));
    log(`topology: ${JSON.stringify(topology)}`);
  }

  const ours = [samplers.meshdeck, samplers.prometheus, ...samplers.targets, ...(samplers.postgres ? [samplers.postgres] : [])].reduce(
    (sum, s) => sum + (s.window(from, to)?.cpuPercent ?? 0),
    0,
  );
  const seconds = (to - from) / 1000;
  const runnerPercent = ((runnerUsage.user + runnerUsage.system) / 1e6 / seconds) * 100;
  const othersPercent = Math.max(0, ((machineAfter - machineBefore) / seconds) * 100 - ours - runnerPercent);
  const targetsPercent = samplers.targets.reduce((sum, s) => sum + (s.window(from, to)?.cpuPercent ?? 0), 0);

  const loopLines = existsSync(loopFile)
    ? readFileSync(loopFile, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { at: number; max: number })
    : [];
  // Per second, the worst delay less the histogram's 20 ms resolution; over the window, the median second and the worst.
  const late = loopLines.filter((l) => l.at > from && l.at <= to).map((l) => Math.max(0, l.max - 20));

  const result: TResult = {
    figures,
    date: new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC",
    command: `npm run bench:metrics${args.length ? ` -- ${args.join(" ")}` : ""}`,
    database: postgres ? "PostgreSQL 15" : "SQLite",
    targets: ports.length,
    targetProcesses: targetProcesses.length,
    services,
    edges: Array.from({ length: services }, (_, s) => calleesOf(s, services).length).reduce((a, b) => a + b, 0),
    payload: { bytes: finalSample.bytes, series: finalSample.series },
    warmupSeconds,
    steadySeconds,
    expectedScrapes: ports.length * Math.floor(seconds / 10),
    meshdeck: {
      ...side(samplers.meshdeck, from, to, { before: countsBefore.meshdeck, after: countsAfter.meshdeck }),
      instanceRows,
      serviceRows,
      edgeRows,
      failedAtEnd,
      staleAtEnd,
      scrapeMs: { p50: percentile(scrapeMs, 50), p99: percentile(scrapeMs, 99) },
      loop: late.length ? { median: percentile(late, 50), max: Math.max(...late) } : null,
      postgresCpuPercent: samplers.postgres?.window(from, to)?.cpuPercent ?? null,
    },
    prometheus: {
      ...side(samplers.prometheus, from, to, { before: countsBefore.prometheus, after: countsAfter.prometheus }),
      version,
      upAtEnd: prom.upAtEnd,
      upSamples: prom.upSamples,
      upSuccesses: prom.upSuccesses,
      samplesPerScrape: prom.samplesPerScrape,
      headSeries: selfAfter.headSeries,
      interval: { p50: selfAfter.intervalP50, p99: selfAfter.intervalP99 },
      scrapeMs: { p50: prom.scrapeP50 * 1000, p99: prom.scrapeP99 * 1000 },
    },
    targetsCpuPercent: targetsPercent,
    runnerCpuPercent: runnerPercent,
    othersCpuPercent: othersPercent,
    chart,
    topology,
    notes,
  };

  if (errors.length) notes.push(`Meshdeck's failed last scrapes: ${errors.map((e) => `${e._count._all} x ${e.scrapeError}`).join("; ")}.`);
  for (const [name, served] of [
    ["Meshdeck", result.meshdeck.scrapesServed],
    ["Prometheus", result.prometheus.scrapesServed],
  ] as const) {
    // More than one scrape per target per 10 s is work the CPU figure includes but the schedule does not ask for.
    if (served > result.expectedScrapes * 1.02)
      notes.push(
        `${name} scraped ${((served / result.expectedScrapes - 1) * 100).toFixed(0)} % more often than once per target per 10 s (${served} scrapes for ${result.expectedScrapes}); its CPU figure includes them.`,
      );
  }
  if (countsAfter.other - countsBefore.other > 0) notes.push(`${countsAfter.other - countsBefore.other} scrapes in the window came from neither scraper.`);
  if (othersPercent > 25)
    notes.push(
      `The machine was shared: other processes used ${othersPercent.toFixed(0)} % of one core (of ${readdirSync("/sys/devices/system/cpu").filter((d) => /^cpu\d+$/.test(d)).length * 100} %) during the window; figures are noisier than on an idle machine.`,
    );
  const { targets: verdicts } = evaluate(result);
  const missedAny = verdicts.some((t) => !t.met);
  if (missedAny)
    notes.push(
      `Target missed: ${verdicts
        .filter((t) => !t.met)
        .map((t) => t.name)
        .join("; ")}.`,
    );

  // The raw material, for anyone who wants to check a figure.
  writeFileSync(
    join(runDir, "raw.json"),
    JSON.stringify(
      {
        result,
        countsBefore,
        countsAfter,
        selfBefore,
        selfAfter,
        perWindow,
        errors,
        samples: { meshdeck: samplers.meshdeck.samples, prometheus: samplers.prometheus.samples },
      },
      null,
      1,
    ),
  );

  if (profile) {
    // The main thread's profile is the largest; tsx's loader thread writes a small one of its own.
    const files = readdirSync(runDir).filter((f) => f.endsWith(".cpuprofile"));
    const file = files.sort((a, b) => readFileSync(join(runDir, b)).length - readFileSync(join(runDir, a)).length)[0];
    if (file) {
      const shares = profileShares(join(runDir, file), { limit: 30, skipMs: from - collectorStarted });
      const lines = (list: { name: string; selfMs: number; share: number }[]) =>
        list.map((t) => `${(t.share * 100).toFixed(1).padStart(5)} %  ${t.selfMs.toFixed(0).padStart(7)} ms  ${t.name}`).join("\n");
      const text = `Collector CPU profile (${file}), self time from the window's start to the collector's exit, ${(shares.busyMs / 1000).toFixed(1)} s busy:\n\nBy module:\n${lines(shares.modules)}\n\nBy function:\n${lines(shares.functions)}\n`;
      writeFileSync(join(runDir, "profile-top.txt"), text);
      console.log(`\n${text}`);
    } else log("no .cpuprofile written by the collector");
  }

  console.log(`\n${renderTable(result)}\n\n${renderFigures(result.figures)}\n\nTargets:\n${renderTargets(result)}\n`);
  console.log(
    `Payload ${result.payload.series} series / ${(result.payload.bytes / 1024).toFixed(1)} KiB; Meshdeck ${instanceRows.total} instance rows in ${windows} windows (fewest ${instanceRows.minPerWindow}), ${failedAtEnd} failed, ${staleAtEnd} stale; ` +
      `Prometheus up ${prom.upAtEnd}, ${prom.upSuccesses}/${prom.upSamples} up samples; targets CPU ${targetsPercent.toFixed(1)} %, runner ${runnerPercent.toFixed(1)} %, others ${othersPercent.toFixed(1)} %` +
      `${result.meshdeck.postgresCpuPercent === null ? "" : `, PostgreSQL ${result.meshdeck.postgresCpuPercent.toFixed(1)} %`}; collector event-loop delay, median second / worst second: ` +
      `${result.meshdeck.loop ? `${Math.round(result.meshdeck.loop.median ?? 0)} / ${Math.round(result.meshdeck.loop.max)} ms` : "n/a"}`,
  );
  if (notes.length) console.log(notes.map((n) => `NOTE: ${n}`).join("\n"));
  if (writeDoc) {
    replaceInDoc(join(root, "docs", "benchmarks.md"), docHeading, renderSection(result));
    log(`"${docHeading}" section written to docs/benchmarks.md`);
  }
  // A completed run exits 0 either way: the verdict is in the output and the doc, not the exit code.
  log(missedAny ? "RESULT: at least one target MISSED (see above)" : "RESULT: all targets met");
  return 0;
}

async function shutdown() {
  for (const { child, name, group } of [...children].reverse()) await stopChild(child, name, log, { group });
  for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
}

runBench({ main, shutdown });
