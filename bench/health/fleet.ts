// `npm run bench:health -- --fleet [--targets N] [--no-doc]`: 10,000 HTTP instances on 127.0.0.1 (target processes serving
// many ports each), checked at the defaults by 3 collector processes on PostgreSQL. Each instance checked by exactly one
// collector (requests per target per second), false positives over the steady window (10 min), 100 kills detected, then a
// `kill -9` of one collector: how soon its share is checked again and whether kills among it right after are all found.
// Sizes may be shrunk for a quick try: --targets N (or BENCH_INSTANCES), BENCH_KILLS, BENCH_STEADY_S, BENCH_COLLECTORS,
// BENCH_TARGET_PROCESSES.
import { execFileSync, fork, spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { readMachineBusySeconds, UsageSampler } from "../shared/proc";
import { askingChild, collectorEnv, collectorNodeArgs, runBench, sleep, startPostgres, stopChild, waitFor } from "../shared/process";
import { machine, markdownTable, percentile, renderTargetList, replaceInDoc } from "../shared/report";
import type { TTargetsMessage, TTargetsReport } from "./targets";

const args = process.argv.slice(2);
const writeDoc = !args.includes("--no-doc");
const targetsArg = args.indexOf("--targets");
const instances = Number(targetsArg >= 0 ? args[targetsArg + 1] : (process.env.BENCH_INSTANCES ?? "10000"));
const kills = Number(process.env.BENCH_KILLS ?? "100");
const steadySeconds = Number(process.env.BENCH_STEADY_S ?? "600");
const collectorCount = Number(process.env.BENCH_COLLECTORS ?? "3");
// 10,000 listeners and their kept connections are more than one Node process answers in time on a loaded machine
// (the first attempt: a saturated targets process reset probes): they are split over this many.
const targetProcesses = Number(process.env.BENCH_TARGET_PROCESSES ?? "2");
// Instances are registered in waves once the collectors are up, each given time to pass before the next: the warm-up
// of 10,000 at once was the first attempt's undoing.
const waveSize = 1000;
const waveLimitMs = 60_000;
// Kills among the killed collector's share, made 1 s after its kill -9.
const orphanKills = 20;
const perService = 10;
const killSpreadMs = 5000;
const detectLimitMs = 15_000;
// interval x fall + 500 ms at the defaults; a killed collector's share moves within this.
const detectTargetMs = 2500;
const takeoverTargetMs = 5000;
const pgPort = 55491;

const root = process.cwd();
const runDir = resolve(root, ".tmp", "bench", `health-fleet-${new Date().toISOString().replace(/[:.]/g, "-")}`);
const instanceId = (index: number) => `bench-${String(index).padStart(5, "0")}`;
const serviceOf = (index: number) => `bench-svc-${String(Math.floor(index / perService)).padStart(4, "0")}`;
const indexOf = (id: string) => Number(id.slice("bench-".length));

const children: ChildProcess[] = [];
const cleanups: (() => Promise<void> | void)[] = [];

function log(message: string) {
  console.log(`${new Date().toISOString()} bench:health --fleet ${message}`);
}

async function main() {
  mkdirSync(runDir, { recursive: true });
  log(`run directory ${runDir}`);
  const postgres = startPostgres(pgPort);
  cleanups.push(postgres.stop);
  process.env.DATABASE_URL = postgres.url;
  process.env.MESHDECK_LOG_LEVEL ??= "warn";
  const { migrateDatabase } = await import("../../lib/db/migrate.ts");
  const { db } = await import("../../lib/db/index.ts");
  const { registerInstance } = await import("../../lib/registry/register-instance.ts");
  const { ZRegisterInstance } = await import("../../lib/registry/schemas.ts");
  const { ownerOf } = await import("../../lib/balancing/rendezvous.ts");
  cleanups.push(() => db.$disconnect());
  await migrateDatabase();

  // The listeners split into contiguous ranges, one per process; a global index is its range's start plus the local one.
  const killed = new Map<number, number>();
  const shares = Array.from({ length: targetProcesses }, (_, p) => {
    const from = Math.floor((p * instances) / targetProcesses);
    return { from, to: Math.floor(((p + 1) * instances) / targetProcesses) };
  });
  const targetChildren = await Promise.all(
    shares.map(async ({ from, to }) => {
      const child = fork(join(root, "bench", "health", "targets.ts"), [], {
        execArgv: ["--import", "tsx"],
        env: { ...process.env, BENCH_TARGETS: String(to - from), BENCH_METRICS: "0" },
        stdio: ["ignore", "inherit", "inherit", "ipc"],
      });
      children.push(child);
      child.on("message", (report: TTargetsReport) => void (report.type === "killed" && killed.set(from + report.index, report.at)));
      const { ask, ready } = await askingChild<TTargetsMessage, TTargetsReport>(child, "targets");
      return { child, ask, from, to, ports: ready.ports };
    }),
  );
  const ports = targetChildren.flatMap((t) => t.ports);
  /** Requests answered per target (global index), and when the last process answered. */
  const counts = async () => {
    const answers = await Promise.all(targetChildren.map((t) => t.ask({ type: "counts" })));
    return { at: Math.max(...answers.map((a) => a.at)), counts: answers.flatMap((a) => a.counts) };
  };
  const killTargets = (plan: { index: number; afterMs: number }[]) => {
    for (const t of targetChildren) {
      const mine = plan.filter(({ index }) => index >= t.from && index < t.to).map(({ index, afterMs }) => ({ index: index - t.from, afterMs }));
      if (mine.length > 0) t.child.send({ type: "kill", kills: mine } satisfies TTargetsMessage);
    }
  };
  log(`${instances} targets listening in ${targetProcesses} processes`);

  // Lock waits (over deadlock_timeout, 1 s) and deadlocks go to the server's log, copied to the run directory at the end.
  await db.$executeRawUnsafe("ALTER SYSTEM SET log_lock_waits = on");
  await db.$queryRawUnsafe("SELECT pg_reload_conf()");
  cleanups.push(() => copyFileSync(join(postgres.dir, "server.log"), join(runDir, "postgres.log")));

  const collectorsStarted = Date.now();
  const collectors = Array.from({ length: collectorCount }, (_, n) => {
    const out = openSync(join(runDir, `collector-${n}.log`), "a");
    const collector = spawn(process.execPath, collectorNodeArgs, {
      env: {
        ...process.env,
        ...collectorEnv,
        DATABASE_URL: postgres.url,
        MESHDECK_LOG_LEVEL: "info",
        BENCH_LOOP_FILE: join(runDir, `collector-${n}-loop.jsonl`),
      },
      stdio: ["ignore", out, out],
    });
    children.push(collector);
    return { collector, sampler: new UsageSampler(collector.pid!) };
  });
  cleanups.push(() => collectors.forEach((c) => c.sampler.stop()));
  const targetsSamplers = targetChildren.map((t) => new UsageSampler(t.child.pid!));
  cleanups.push(() => targetsSamplers.forEach((sampler) => sampler.stop()));
  log(`collector pids ${collectors.map((c) => c.collector.pid).join(", ")}, targets pids ${targetChildren.map((t) => t.child.pid).join(", ")}`);
  // Every collector holds a live lease before the first instance is registered: no hand-over in the middle of the warm-up.
  await waitFor(`${collectorCount} live collector leases`, 60_000, async () =>
    (await db.collectorLease.count({ where: { renewedAt: { gte: new Date(Date.now() - 3000) } } })) === collectorCount ? true : null,
  );
  log(`${collectorCount} collectors live after ${((Date.now() - collectorsStarted) / 1000).toFixed(1)} s`);

  const passing = () => db.instance.count({ where: { health: "passing", instanceId: { startsWith: "bench-" } } });
  // A few registrations at a time, a wave at a time: each wave passing before the next is registered.
  const registerStarted = Date.now();
  let registerMs = 0;
  let lastLog = 0;
  for (let wave = 0; wave < instances; wave += waveSize) {
    const end = Math.min(instances, wave + waveSize);
    const waveStarted = Date.now();
    let next = wave;
    const register = async () => {
      for (let index = next++; index < end; index = next++)
        await registerInstance({
          input: ZRegisterInstance.parse({
            service: serviceOf(index),
            id: instanceId(index),
            host: "127.0.0.1",
            port: ports[index],
            check: { kind: "http", path: "/health" },
            metrics: null,
          }),
        });
    };
    await Promise.all(Array.from({ length: 8 }, register));
    registerMs += Date.now() - waveStarted;
    await waitFor(`${end} passing`, waveLimitMs, async () => {
      const n = await passing();
      if (Date.now() - lastLog > 5000) {
        lastLog = Date.now();
        log(`warming up: ${end} registered, ${n} passing`);
      }
      return n >= end ? true : null;
    }).catch((error: unknown) => log(`${String(error)}; registering the next wave anyway`));
  }
  await waitFor(`all ${instances} passing`, 120_000, async () => ((await passing()) === instances ? true : null));
  const warmAt = Date.now();
  const warmupSeconds = (warmAt - registerStarted) / 1000;
  const warmupCritical = await db.healthEvent.count({ where: { to: "critical", instanceId: { startsWith: "bench-" } } });
  log(`warm after ${warmupSeconds.toFixed(1)} s (${warmupCritical} went critical on the way); steady for ${steadySeconds} s`);

  // Steady: every target should see one check a second (one collector each), none twice as many.
  const machineAtWarm = readMachineBusySeconds();
  const { counts: before } = await counts();
  // A collector whose renewals run late (a loop round over 2 s) looks dead to the others for a while: counted each second.
  let lapses = 0;
  const leaseWatch = setInterval(
    () =>
      void db.collectorLease
        .count({ where: { renewedAt: { gte: new Date(Date.now() - 3000) } } })
        .then((live) => void (live < collectorCount && (lapses += 1)))
        .catch(() => undefined),
    1000,
  );
  await sleep(steadySeconds * 1000);
  clearInterval(leaseWatch);
  const { counts: after } = await counts();
  const steadyEnd = Date.now();
  const machineAtEnd = readMachineBusySeconds();
  const rates = after.map((n, i) => (n - (before[i] ?? 0)) / steadySeconds);
  const unchecked = rates.filter((r) => r < 0.5).length;
  const doubled = rates.filter((r) => r > 1.5).length;
  const falseBeforeKills = await db.healthEvent.count({ where: { to: "critical", instanceId: { startsWith: "bench-" }, at: { gte: new Date(warmAt) } } });
  log(`steady: checks per target per second min ${Math.min(...rates).toFixed(2)}, max ${Math.max(...rates).toFixed(2)}; ${falseBeforeKills} false positives`);

  // Kills spread over the fleet and over 5 s.
  const killPlan = Array.from({ length: kills }, (_, i) => ({
    index: Math.floor(((i + 0.5) * instances) / kills),
    afterMs: Math.round((i * killSpreadMs) / kills),
  }));
  const killStart = Date.now();
  killTargets(killPlan);
  const detectionsOf = async (indexes: number[], since: number) => {
    const events = await db.healthEvent.findMany({
      where: { to: "critical", instanceId: { in: indexes.map(instanceId) }, at: { gte: new Date(since) } },
      orderBy: { at: "asc" },
    });
    const found = new Map<number, number>();
    for (const event of events) {
      const index = indexOf(event.instanceId);
      const at = killed.get(index);
      if (at !== undefined && !found.has(index) && event.at.getTime() >= at) found.set(index, event.at.getTime() - at);
    }
    return found;
  };
  const killIndexes = killPlan.map((k) => k.index);
  await waitFor("all kills detected", killSpreadMs + detectLimitMs, async () =>
    (await detectionsOf(killIndexes, killStart)).size === kills ? true : null,
  ).catch((error: unknown) => log(`${String(error)}: the rest count as missed`));
  const detections = [...(await detectionsOf(killIndexes, killStart)).values()];
  log(`kills: ${detections.length} of ${kills} detected, p99 ${percentile(detections, 99)} ms`);

  // kill -9 of the first collector: its share (by the same rendezvous hashing) must be checked again by the others.
  const victim = collectors[0]!;
  const leases = await db.collectorLease.findMany({ where: { renewedAt: { gte: new Date(Date.now() - 3000) } }, select: { id: true, pid: true } });
  const victimId = leases.find((l) => l.pid === victim.collector.pid)?.id;
  if (!victimId) throw new Error(`no live lease for collector pid ${victim.collector.pid}`);
  const rows = await db.instance.findMany({ where: { instanceId: { startsWith: "bench-" } }, select: { id: true, instanceId: true } });
  const killedSet = new Set(killIndexes);
  const share = rows
    .filter((row) => ownerOf({ key: row.id, collectorIds: leases.map((l) => l.id) }) === victimId)
    .map((row) => indexOf(row.instanceId))
    .filter((index) => !killedSet.has(index));
  const orphans = Array.from({ length: Math.min(orphanKills, share.length) }, (_, i) => share[Math.floor((i * share.length) / orphanKills)]!);
  victim.collector.kill("SIGKILL");
  const victimKilledAt = Date.now();
  const { counts: atKill } = await counts();
  killTargets(orphans.map((index) => ({ index, afterMs: 1000 })));
  log(`kill -9 collector ${victim.collector.pid} (${share.length} instances); ${orphans.length} of them killed 1 s later`);
  const orphanSet = new Set(orphans);
  const watched = share.filter((index) => !orphanSet.has(index));
  const takenAt = new Map<number, number>();
  await waitFor(
    "the killed collector's share checked again",
    30_000,
    async () => {
      const { at, counts: now } = await counts();
      for (const index of watched) if (!takenAt.has(index) && (now[index] ?? 0) > (atKill[index] ?? 0)) takenAt.set(index, at - victimKilledAt);
      return takenAt.size === watched.length ? true : null;
    },
    200,
  ).catch((error: unknown) => log(String(error)));
  const takeovers = [...takenAt.values()];
  await waitFor("the orphans' kills detected", 20_000, async () => ((await detectionsOf(orphans, victimKilledAt)).size === orphans.length ? true : null)).catch(
    (error: unknown) => log(`${String(error)}: the rest count as missed`),
  );
  const orphanDetections = [...(await detectionsOf(orphans, victimKilledAt)).values()];
  const allKilled = new Set([...killIndexes, ...orphans].map(instanceId));
  const falsePositives = await db.healthEvent.count({
    where: { to: "critical", instanceId: { startsWith: "bench-", notIn: [...allKilled] }, at: { gte: new Date(warmAt) } },
  });

  // Why they went critical: the probe's output, grouped.
  const falseReasons = await db.healthEvent.groupBy({
    by: ["reason"],
    where: { to: "critical", instanceId: { startsWith: "bench-", notIn: [...allKilled] }, at: { gte: new Date(warmAt) } },
    _count: { _all: true },
  });
  const reasonsText = falseReasons
    .sort((a, b) => b._count._all - a._count._all)
    .slice(0, 5)
    .map((r) => `${r._count._all}: ${r.reason.slice(0, 80)}`)
    .join("; ");
  if (falsePositives > 0) log(`false positives by reason: ${reasonsText}`);
  const falseLine = falsePositives > 0 ? `- False positives by the probe's output: ${reasonsText}.\n` : "";
  const steady = collectors.map((c) => c.sampler.window(warmAt, steadyEnd));
  const peaks = collectors.map((c) => Math.max(...c.sampler.samples.map((s) => s.rssBytes)) / 2 ** 20);
  const survivorsPeak = Math.max(...peaks.slice(1));
  const totalCpu = steady.reduce((sum, w) => sum + (w?.cpuPercent ?? 0), 0);
  const targetsCpu = targetsSamplers.reduce((sum, sampler) => sum + (sampler.window(warmAt, steadyEnd)?.cpuPercent ?? 0), 0);
  const machinePercent = ((machineAtEnd - machineAtWarm) / ((steadyEnd - warmAt) / 1000)) * 100;
  const p = (values: number[], q: number) => `${Math.round(percentile(values, q) ?? NaN)} ms`;

  const verdicts = [
    {
      name: "each instance checked by exactly one collector (checks per target per second in [0.5, 1.5])",
      value: `${unchecked} unchecked, ${doubled} doubled`,
      met: unchecked + doubled === 0,
    },
    {
      name: `${kills} kills detected within interval x fall + 500 ms p99 (${detectTargetMs} ms)`,
      value: `${detections.length} of ${kills}, p99 ${p(detections, 99)}`,
      met: detections.length === kills && (percentile(detections, 99) ?? Infinity) <= detectTargetMs,
    },
    { name: `0 false positives over ${steadySeconds} s steady and the rest of the run`, value: String(falsePositives), met: falsePositives === 0 },
    {
      name: `kill -9 of a collector: its share checked again within ${takeoverTargetMs / 1000} s`,
      value: `${takeovers.length} of ${watched.length}, slowest ${Math.round(Math.max(...takeovers))} ms`,
      met: takeovers.length === watched.length && Math.max(...takeovers) <= takeoverTargetMs,
    },
    {
      name: "none of the kills among its share missed",
      value: `${orphanDetections.length} of ${orphans.length}`,
      met: orphanDetections.length === orphans.length,
    },
    { name: "peak RSS <= 600 MB per collector", value: `${peaks.map((mb) => `${Math.round(mb)} MB`).join(", ")}`, met: Math.max(...peaks) <= 600 },
  ];
  const m = machine();
  const table = markdownTable(
    ["", ...collectors.map((_, n) => `collector ${n + 1}${n === 0 ? " (killed)" : ""}`), "all"],
    [
      ["CPU, % of one core, steady", ...steady.map((w) => `${w?.cpuPercent.toFixed(1) ?? "n/a"} %`), `${totalCpu.toFixed(1)} %`],
      ["peak RSS over the run", ...peaks.map((mb) => `${Math.round(mb)} MB`), `${Math.round(peaks.reduce((a, b) => a + b, 0))} MB`],
    ],
  );
  // What the logs say about the health writes: PostgreSQL's deadlocks and lock waits, the collectors' write retries.
  const pgLog = readFileSync(join(postgres.dir, "server.log"), "utf8");
  const deadlocks = pgLog.match(/ERROR: {2}deadlock detected/g)?.length ?? 0;
  const lockWaits = pgLog.match(/still waiting for/g)?.length ?? 0;
  const retries = collectors.map((_, n) => readFileSync(join(runDir, `collector-${n}.log`), "utf8").match(/not written yet; retrying/g)?.length ?? 0);
  const commit = execFileSync("git", ["rev-parse", "--short=12", "HEAD"], { encoding: "utf8" }).trim();
  const options = ["BENCH_INSTANCES", "BENCH_KILLS", "BENCH_STEADY_S", "BENCH_COLLECTORS", "BENCH_TARGET_PROCESSES"].filter((k) => process.env[k]);
  const section = `## Health checks at fleet size: ${instances} HTTP instances, ${collectorCount} collectors, PostgreSQL (${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC)

- Machine: ${m.nproc} CPUs (\`nproc\`), ${m.model}, ${m.memoryGiB.toFixed(1)} GiB memory, Linux ${m.kernel}, Node ${m.node}.
- Command: \`${options.map((k) => `${k}=${process.env[k]} `).join("")}npm run bench:health -- ${args.join(" ")}\` at ${commit}.
- Setup: ${instances} HTTP listeners on 127.0.0.1 (${targetProcesses} processes of \`bench/health/targets.ts\`, keep-alive) in ${Math.ceil(instances / perService)} services,
  checked at the defaults (interval 1 s, timeout 800 ms, fall 2, rise 2) by ${collectorCount} collector processes on PostgreSQL 15,
  started first (all ${collectorCount} leases live ${((registerStarted - collectorsStarted) / 1000).toFixed(1)} s after). Registered in waves of ${waveSize}
  (${(registerMs / 1000).toFixed(1)} s registering in all), each let pass before the next: all ${instances} passing ${warmupSeconds.toFixed(1)} s after the first registration
  (${warmupCritical} went critical on the way).
- Steady ${steadySeconds} s: checks answered per target per second min ${Math.min(...rates).toFixed(2)}, max ${Math.max(...rates).toFixed(2)}
  (one collector each: 1); ${falseBeforeKills} false positives; ${lapses} of its seconds with a collector's lease lapsed. The target processes used ${targetsCpu.toFixed(1)} % of a core together; the whole machine ${machinePercent.toFixed(0)} % (of ${m.nproc * 100} %).
- Kills: ${kills} listeners closed over ${killSpreadMs / 1000} s: detection (kill -> \`HealthEvent.at\`) p50 ${p(detections, 50)}, p99 ${p(detections, 99)}.
- \`kill -9\` of collector 1 (${share.length} instances): its share answered a probe from another collector p50 ${p(takeovers, 50)},
  p99 ${p(takeovers, 99)} after the kill (its lease lives 3 s); ${orphans.length} of its instances closed 1 s after the kill were detected
  ${p(orphanDetections, 50)} p50, ${p(orphanDetections, 99)} p99 after their close. Surviving collectors' peak RSS ${Math.round(survivorsPeak)} MB.
${falseLine}- Health writes over the run: PostgreSQL logged ${deadlocks} deadlocks and ${lockWaits} lock waits over 1 s; the collectors retried a batch ${retries.join(", ")} times.

${table}

Targets:
${renderTargetList(verdicts)}
`;
  console.log(`\n${section}`);
  if (writeDoc) {
    // In place of the last fleet run (or of the first attempt's notes).
    const doc = join(root, "docs", "benchmarks.md");
    const last = "## Health checks at fleet size";
    replaceInDoc(doc, readFileSync(doc, "utf8").includes(`\n${last}`) ? last : "### Fleet size: `npm run bench:health -- --fleet`", section);
    log("section written to docs/benchmarks.md");
  }
  log(verdicts.every((v) => v.met) ? "RESULT: all targets met" : "RESULT: at least one target MISSED (see above)");
  return 0;
}

async function shutdown() {
  for (const child of [...children].reverse()) if (child.exitCode === null && child.signalCode === null) await stopChild(child, child.spawnfile, log);
  for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
}

runBench({ main, shutdown });
