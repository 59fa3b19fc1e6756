// `npm run bench:health [-- --db=postgres] [-- --combined] [-- --no-doc]`: 1000 real HTTP instances on 127.0.0.1,
// checked at Meshdeck's defaults by the collector (its own process) and by HAProxy in the same run;
// 50 are killed at known times; detection p50/p99, CPU and RSS of both; a section in docs/benchmarks.md.
// --combined: the collector scrapes every instance's /metrics too (every 10 s), against HAProxy plus
// Prometheus scraping the same targets; without it, instances have no metrics and the collector only checks.
// --fleet: 10,000 instances checked by 3 collectors on PostgreSQL (bench/health/fleet.ts).
// --tcp: TCP checks (connect and close) on both sides instead of HTTP GET /health.
// Sizes may be shrunk for a quick try: BENCH_INSTANCES, BENCH_KILLS, BENCH_STEADY_S.
import { fork, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { readMachineBusySeconds, UsageSampler } from "../shared/proc";
import { collectorEnv, collectorNodeArgs, runBench, sleep, startPostgres, stopChild, waitFor } from "../shared/process";
import { appendToDoc, percentile } from "../shared/report";
import { ensureHaproxy, showStat, startHaproxy, startSyslog, writeHaproxyConfig } from "./haproxy";
import { job, prometheusVersion, queryNumber, startReferencePrometheus } from "../metrics/prometheus-side";
import { evaluate, renderSection, renderTable, renderTargets, type TResult } from "./report";
import type { TTargetsMessage, TTargetsReport } from "./targets";

const args = process.argv.slice(2);
const usePostgres = args.includes("--db=postgres");
const writeDoc = !args.includes("--no-doc");
const combined = args.includes("--combined");
const tcp = args.includes("--tcp");
const instances = Number(process.env.BENCH_INSTANCES ?? "1000");
const kills = Number(process.env.BENCH_KILLS ?? "50");
// 60 s so the window always holds exactly one of the collector's once-a-minute rollup writes.
const steadySeconds = Number(process.env.BENCH_STEADY_S ?? "60");
const perService = 10;
const killSpreadMs = 5000;
const warmupLimitMs = 120_000;
// After the last kill: interval x fall plus a wide margin before a kill counts as missed.
const detectLimitMs = 15_000;
const pgPort = 55490;

const root = process.cwd();
const runDir = resolve(root, ".tmp", "bench", `health-${new Date().toISOString().replace(/[:.]/g, "-")}`);
const instanceId = (index: number) => `bench-${String(index).padStart(4, "0")}`;
const serviceOf = (index: number) => `bench-svc-${String(Math.floor(index / perService)).padStart(3, "0")}`;

const children: ChildProcess[] = [];
const cleanups: (() => Promise<void> | void)[] = [];

function log(message: string) {
  console.log(`${new Date().toISOString()} bench:health ${message}`);
}

function startTargets(): Promise<{ child: ChildProcess; ports: number[]; killed: Map<number, number> }> {
  const child = fork(join(root, "bench", "health", "targets.ts"), [], {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, BENCH_TARGETS: String(instances), BENCH_METRICS: combined ? "1" : "0" },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  children.push(child);
  const killed = new Map<number, number>();
  return new Promise((done, fail) => {
    child.on("message", (report: TTargetsReport) => {
      if (report.type === "ready") done({ child, ports: report.ports, killed });
      else if (report.type === "killed") killed.set(report.index, report.at);
      else if (report.type === "error") fail(new Error(`targets: ${report.message}`));
    });
    child.once("exit", (code) => fail(new Error(`targets exited (${code}) before it was ready`)));
  });
}

async function main() {
  mkdirSync(runDir, { recursive: true });
  log(`run directory ${runDir}`);
  const haproxyVersion = ensureHaproxy();

  // The orchestrator's own Prisma client must see the benchmark's database: set it before lib/ loads.
  const postgres = usePostgres ? startPostgres(pgPort) : null;
  if (postgres) cleanups.push(postgres.stop);
  const databaseUrl = postgres?.url ?? `file:${join(runDir, "meshdeck.db")}`;
  process.env.DATABASE_URL = databaseUrl;
  process.env.MESHDECK_LOG_LEVEL ??= "warn";
  const { migrateDatabase } = await import("../../lib/db/migrate.ts");
  const { db } = await import("../../lib/db/index.ts");
  const { registerInstance } = await import("../../lib/registry/register-instance.ts");
  const { ZRegisterInstance } = await import("../../lib/registry/schemas.ts");
  cleanups.push(() => db.$disconnect());
  await migrateDatabase();

  const targets = await startTargets();
  log(`${instances} targets listening (ports ${Math.min(...targets.ports)}..${Math.max(...targets.ports)})`);

  const registerStarted = Date.now();
  for (const [index, port] of targets.ports.entries()) {
    await registerInstance({
      input: ZRegisterInstance.parse({
        service: serviceOf(index),
        id: instanceId(index),
        host: "127.0.0.1",
        port,
        check: tcp ? { kind: "tcp" } : { kind: "http", path: "/health" },
        metrics: combined ? { path: "/metrics" } : null,
      }),
    });
  }
  log(`registered ${instances} instances with ${tcp ? "tcp" : "http"} checks at the defaults in ${((Date.now() - registerStarted) / 1000).toFixed(1)} s`);

  const syslog = await startSyslog();
  cleanups.push(() => void syslog.socket.close());
  const haproxyConfig = writeHaproxyConfig({ dir: runDir, ports: targets.ports, syslogPort: syslog.port, tcp });
  const haproxy = startHaproxy({ file: haproxyConfig.file, dir: runDir });
  children.push(haproxy);
  // The same targets, every 10 s with a 5 s timeout, as the collector's scrapes.
  const prometheus = combined ? await startReferencePrometheus({ targets: targets.ports.map((port, index) => ({ service: serviceOf(index), port })) }) : null;
  if (prometheus) cleanups.push(() => prometheus.stop());

  // The same entrypoint as `npm run collector`, run by node itself (no tsx CLI wrapper process).
  const collectorLog = openSync(join(runDir, "collector.log"), "a");
  // loop-monitor.mjs records its event-loop delay; BENCH_CPU_PROF=1 adds a V8 CPU profile (written at exit) to the run directory.
  const loopFile = join(runDir, "collector-loop.jsonl");
  const profile = process.env.BENCH_CPU_PROF === "1" ? ["--cpu-prof", `--cpu-prof-dir=${runDir}`] : [];
  const collectorStarted = Date.now();
  const collector = spawn(process.execPath, [...profile, ...collectorNodeArgs], {
    env: { ...process.env, ...collectorEnv, DATABASE_URL: databaseUrl, MESHDECK_LOG_LEVEL: "info", BENCH_LOOP_FILE: loopFile },
    stdio: ["ignore", collectorLog, collectorLog],
  });
  children.push(collector);
  let stopping = false;
  let collectorDied: string | null = null;
  collector.once("exit", (code, signal) => {
    if (!stopping)
      collectorDied = `collector (pid ${collector.pid}) exited during the run: ${signal ? `signal ${signal}` : `code ${code}`}; see ${join(runDir, "collector.log")}`;
  });
  log(`collector pid ${collector.pid}, haproxy pid ${haproxy.pid}, targets pid ${targets.child.pid}`);
  const samplers = {
    meshdeck: new UsageSampler(collector.pid!),
    haproxy: new UsageSampler(haproxy.pid!),
    targets: new UsageSampler(targets.child.pid!),
    prometheus: prometheus ? new UsageSampler(prometheus.pid) : null,
  };
  cleanups.push(() => Object.values(samplers).forEach((s) => s?.stop()));

  let lastProgress = Date.now();
  // The collector's warm-up ends when all pass, whatever the other checker and the scrapers still wait for.
  let allPassingAt: number | null = null;
  await waitFor(`all ${instances} passing in Meshdeck and UP in HAProxy`, warmupLimitMs, async () => {
    if (collectorDied) throw new Error(collectorDied);
    const passing = await db.instance.count({ where: { health: "passing", instanceId: { startsWith: "bench-" } } });
    const stat = await showStat(haproxyConfig.socket);
    const up = [...stat.values()].filter((s) => s.status === "UP" && s.check.startsWith(tcp ? "L4OK" : "L7OK")).length;
    // Combined: both scrapers have scraped every target once.
    const scraped = combined
      ? await db.instance.count({ where: { instanceId: { startsWith: "bench-" }, lastScrapeAt: { not: null }, scrapeError: null } })
      : instances;
    const promUp = prometheus ? await queryNumber(prometheus, `count(up{job="${job}"} == 1)`).catch(() => 0) : instances;
    if (Date.now() - lastProgress >= 5000) {
      lastProgress = Date.now();
      log(
        `warming up: ${passing} passing in Meshdeck, ${up} UP (${tcp ? "L4OK" : "L7OK"}) in HAProxy${combined ? `; scraped ${scraped} by Meshdeck, ${promUp} up in Prometheus` : ""}`,
      );
    }
    if (passing === instances) allPassingAt ??= Date.now();
    return passing === instances && up === instances && scraped === instances && promUp === instances ? true : null;
  });
  const warmAt = Date.now();
  const machineAtWarm = readMachineBusySeconds();
  const warmupSeconds = ((allPassingAt ?? warmAt) - collectorStarted) / 1000;
  log(`warm: all ${instances} passing in Meshdeck and UP in HAProxy; measuring CPU for ${steadySeconds} s`);
  await sleep(steadySeconds * 1000 + 500);
  const steadyEnd = Date.now();
  const machineAtSteadyEnd = readMachineBusySeconds();

  // Kills spread evenly over the fleet (at most one per service) and over killSpreadMs.
  const killPlan = Array.from({ length: kills }, (_, i) => ({
    index: Math.floor(((i + 0.5) * instances) / kills),
    afterMs: Math.round((i * killSpreadMs) / kills),
  }));
  const killedIds = killPlan.map((k) => instanceId(k.index));
  const killStart = Date.now();
  targets.child.send({ type: "kill", kills: killPlan } satisfies TTargetsMessage);
  log(`killing ${kills} targets over ${killSpreadMs / 1000} s`);
  const criticalOfKilled = () =>
    db.healthEvent.findMany({ where: { to: "critical", instanceId: { in: killedIds }, at: { gte: new Date(killStart) } }, orderBy: { at: "asc" } });
  await waitFor("all kills detected by both", killSpreadMs + detectLimitMs, async () => {
    const seen = new Set((await criticalOfKilled()).map((e) => e.instanceId));
    const downs = new Set(syslog.downs.map((d) => d.index));
    return targets.killed.size === kills && seen.size === kills && killPlan.every((k) => downs.has(k.index)) ? true : null;
  }).catch((error: unknown) => log(`${error instanceof Error ? error.message : String(error)}: the rest count as missed`));
  const killEnd = Date.now();
  // A checker that died mid-run has no figures worth writing down.
  if (collectorDied) throw new Error(collectorDied);
  if (haproxy.exitCode !== null || haproxy.signalCode !== null)
    throw new Error(`haproxy exited during the run (${haproxy.signalCode ?? haproxy.exitCode}); see ${join(runDir, "haproxy.log")}`);
  stopping = true;

  // Detection = checker's event time - kill time, for the first change to critical / DOWN after each kill.
  const events = await criticalOfKilled();
  const meshdeckDetections: number[] = [];
  const haproxyDetections: number[] = [];
  const ownDetections: number[] = [];
  for (const { index } of killPlan) {
    const killedAt = targets.killed.get(index);
    if (killedAt === undefined) continue;
    const event = events.find((e) => e.instanceId === instanceId(index) && e.at.getTime() >= killedAt);
    if (event) meshdeckDetections.push(event.at.getTime() - killedAt);
    if (event?.detectionMs != null) ownDetections.push(event.detectionMs);
    const down = syslog.downs.find((d) => d.index === index && d.at >= killedAt);
    if (down) haproxyDetections.push(down.at - killedAt);
  }
  const killedSet = new Set(killPlan.map((k) => k.index));
  const meshdeckFalse = await db.healthEvent.count({
    where: { to: "critical", instanceId: { startsWith: "bench-", notIn: killedIds }, at: { gte: new Date(warmAt) } },
  });
  const haproxyFalse = syslog.downs.filter((d) => !killedSet.has(d.index) && d.at >= warmAt).length;
  // The raw material, for anyone who wants to check a figure.
  writeFileSync(
    join(runDir, "raw.json"),
    JSON.stringify(
      {
        killPlan,
        killedAt: Object.fromEntries(targets.killed),
        meshdeckEvents: events,
        haproxyDowns: syslog.downs,
        samples: Object.fromEntries(Object.entries(samplers).map(([k, s]) => [k, s?.samples ?? []])),
      },
      null,
      1,
    ),
  );
  const stampSkew = Math.max(0, ...syslog.downs.map((d) => Math.abs(d.receivedAt - d.at)));

  const steady = {
    meshdeck: samplers.meshdeck.window(warmAt, steadyEnd),
    haproxy: samplers.haproxy.window(warmAt, steadyEnd),
    targets: samplers.targets.window(warmAt, steadyEnd),
    prometheus: samplers.prometheus?.window(warmAt, steadyEnd) ?? null,
  };
  const during = { meshdeck: samplers.meshdeck.window(killStart, killEnd), haproxy: samplers.haproxy.window(killStart, killEnd) };
  const mb = (bytes: number | undefined) => (bytes === undefined ? null : bytes / 2 ** 20);
  const peak = (sampler: UsageSampler) => mb(Math.max(...sampler.samples.filter((s) => s.at >= warmAt).map((s) => s.rssBytes)));

  const loopLines = existsSync(loopFile)
    ? readFileSync(loopFile, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { at: number; p50: number; max: number })
    : [];
  const loopWindow = (from: number, to: number) => {
    const inside = loopLines.filter((l) => l.at > from && l.at <= to);
    // Per second, the worst delay; over the window, the median second and the worst second.
    // The histogram counts its own 20 ms resolution in; what is left is lateness.
    const late = inside.map((l) => Math.max(0, l.max - 20));
    return late.length ? { median: percentile(late, 50), max: Math.max(...late) } : null;
  };
  const notes: string[] = [];
  // Everything else on the machine over the steady window (this orchestrator included): other people's builds show up here.
  const ours = [steady.meshdeck, steady.haproxy, steady.targets, steady.prometheus].reduce((sum, w) => sum + (w?.cpuPercent ?? 0), 0);
  const machinePercent = ((machineAtSteadyEnd - machineAtWarm) / ((steadyEnd - warmAt) / 1000)) * 100;
  const othersPercent = Math.max(0, machinePercent - ours);
  const cores = (await import("node:os")).availableParallelism();
  if (othersPercent > 25)
    notes.push(
      `The machine was shared: other processes used ${othersPercent.toFixed(0)} % of one core (of ${cores * 100} %) during the steady window; figures are noisier than on an idle machine.`,
    );
  if (stampSkew > 50) notes.push(`HAProxy's log timestamps and their arrival here differed by up to ${Math.round(stampSkew)} ms.`);
  const envOverrides = ["BENCH_INSTANCES", "BENCH_KILLS", "BENCH_STEADY_S"].filter((k) => process.env[k]).map((k) => `${k}=${process.env[k]} `);
  const result: TResult = {
    date: new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC",
    command: `${envOverrides.join("")}npm run bench:health${args.length ? ` -- ${args.join(" ")}` : ""}`,
    prometheus:
      prometheus && samplers.prometheus
        ? { version: prometheusVersion(), cpuPercent: steady.prometheus?.cpuPercent ?? null, peakRssMb: peak(samplers.prometheus) }
        : null,
    database: usePostgres ? "PostgreSQL 15" : "SQLite",
    checkKind: tcp ? "tcp" : "http",
    instances,
    services: Math.ceil(instances / perService),
    kills,
    killSpreadMs,
    steadySeconds,
    meshdeck: {
      name: "Meshdeck",
      detections: meshdeckDetections,
      missed: kills - meshdeckDetections.length,
      falsePositives: meshdeckFalse,
      cpuPercent: steady.meshdeck?.cpuPercent ?? null,
      killCpuPercent: during.meshdeck?.cpuPercent ?? null,
      peakRssMb: peak(samplers.meshdeck),
    },
    haproxy: {
      name: "HAProxy",
      version: haproxyVersion,
      detections: haproxyDetections,
      missed: kills - haproxyDetections.length,
      falsePositives: haproxyFalse,
      cpuPercent: steady.haproxy?.cpuPercent ?? null,
      killCpuPercent: during.haproxy?.cpuPercent ?? null,
      peakRssMb: peak(samplers.haproxy),
    },
    targetsCpuPercent: steady.targets?.cpuPercent ?? null,
    othersCpuPercent: othersPercent,
    ownDetection: { p50: percentile(ownDetections, 50), p99: percentile(ownDetections, 99) },
    warmupSeconds,
    loop: { steady: loopWindow(warmAt, steadyEnd), kills: loopWindow(killStart, killEnd) },
    notes,
  };
  const { targets: verdicts } = evaluate(result);
  const missedAny = verdicts.some((t) => !t.met);
  if (result.meshdeck.missed || result.haproxy.missed)
    notes.push(`Kills not detected within ${detectLimitMs / 1000} s of the last kill: Meshdeck ${result.meshdeck.missed}, HAProxy ${result.haproxy.missed}.`);
  if (missedAny)
    notes.push(
      `Target missed: ${verdicts
        .filter((t) => !t.met)
        .map((t) => t.name)
        .join("; ")}.`,
    );

  console.log(`\n${renderTable(result)}\n\nTargets:\n${renderTargets(result)}\n`);
  const loopText = (w: { median: number | null; max: number } | null) =>
    w ? `median second's worst ${Math.round(w.median ?? 0)} ms, worst ${Math.round(w.max)} ms` : "n/a";
  console.log(
    `Collector warm-up ${warmupSeconds.toFixed(1)} s to ${instances} passing; event-loop delay: steady ${loopText(result.loop.steady)}, during kills ${loopText(result.loop.kills)}; targets process CPU ${result.targetsCpuPercent?.toFixed(1)} %`,
  );
  if (notes.length) console.log(notes.map((n) => `NOTE: ${n}`).join("\n"));
  if (writeDoc) {
    appendToDoc(join(root, "docs", "benchmarks.md"), renderSection(result));
    log("section appended to docs/benchmarks.md");
  }
  // A completed run exits 0 either way: the verdict is in the output and the doc, not the exit code.
  log(missedAny ? "RESULT: at least one target MISSED (see above)" : "RESULT: all targets met");
  return 0;
}

async function shutdown() {
  for (const child of [...children].reverse()) await stopChild(child, child.spawnfile, log);
  for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
}

// --fleet is its own run (bench/health/fleet.ts): 10,000 instances, 3 collectors, PostgreSQL, no HAProxy.
if (args.includes("--fleet")) void import("./fleet");
else runBench({ main, shutdown });
