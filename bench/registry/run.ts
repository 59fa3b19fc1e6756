// `npm run bench:registry [-- --db sqlite|postgres|both] [--instances N] [--services N] [--soak SECONDS] [--pg-port N] [--quick] [--no-doc]
// [--only register,beats,discovery,idle,mass,soak] [--cpu-prof] [--trace-gc] [--heap-sample] [--heap-survivors] [--app-flags "<node flags>"]`:
// the registry at fleet size (issue 14). In one run: a bare node:http server (the ceiling), then SQLite (one app
// with its embedded collector) and PostgreSQL (3 apps, 3 collector processes), each on a fresh database, driven by
// one load-generator process: registration, discovery of a large service and of the whole catalog, heartbeat rate,
// idle CPU and RSS with the fleet held, a mass removal through a real etcd lease, and a TTL soak. A stage that fails
// is recorded as "failed: reason" and the run goes on. Writes the "## Registry" section of docs/benchmarks.md
// unless --quick, --no-doc or --only. --only runs the phases named (and registration whenever one needs the fleet);
// --cpu-prof profiles the app processes (V8 --cpu-prof) and prints where their CPU went; --trace-gc logs each of their
// collections (V8 --trace-gc) to the app's log in the run directory; --heap-sample writes where the apps allocated
// during registration and heartbeats (bench/shared/heap-sample.mjs) to the run directory's profiles; --heap-survivors
// samples only what outlived a scavenge (what lives long enough to reach the old generation).
import { fork, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { adminAndToken } from "@/tests/support/client";
import { startEtcd, type TEtcd } from "@/tests/support/etcd";
import { profileShares } from "../shared/cpu-profile";
import { readMachineBusySeconds, readUsage, UsageSampler } from "../shared/proc";
import { askingChild, freePort, runBench, sleep, startPostgres, stopChild, waitFor, type TAsk } from "../shared/process";
import { percentile, replaceInDoc } from "../shared/report";
import { openBenchDb, type TBenchDb } from "./database";
import { activityLine, sampleActivity } from "./pg-activity";
import type { TFigures } from "./figures";
import { bigService, bigServiceSize, type TFleet } from "./fleet";
import type { TLoadMessage, TLoadReport } from "./load";
import {
  answersLine,
  docHeading,
  notRun,
  renderSection,
  rowsOf,
  type TBare,
  type TDatabaseResult,
  type TResult,
  type TStage,
  type TUsageFigure,
} from "./report";

const args = process.argv.slice(2);
function flag(name: string, fallback: string): string {
  const at = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (at === -1) return fallback;
  return args[at]!.includes("=") ? args[at]!.split("=")[1]! : (args[at + 1] ?? fallback);
}
const quick = args.includes("--quick");
const phases = ["register", "idle", "discovery", "beats", "mass", "soak"] as const;
type TPhase = (typeof phases)[number];
const only = flag("only", phases.join(",")).split(",");
for (const phase of only) if (!(phases as readonly string[]).includes(phase)) throw new Error(`--only takes ${phases.join(", ")}, not '${phase}'`);
// Every phase but the mass removal works on the registered fleet.
const runs = (phase: TPhase) => only.includes(phase) || (phase === "register" && only.some((p) => p !== "mass"));
const skipped = { ok: false as const, reason: notRun };
const writeDoc = !quick && !args.includes("--no-doc") && phases.every(runs);
const cpuProf = args.includes("--cpu-prof");
const traceGc = args.includes("--trace-gc");
const heapSurvivors = args.includes("--heap-survivors");
const heapSample = heapSurvivors || args.includes("--heap-sample");
// --app-flags "<node flags>": more flags for the app processes, an experiment on their V8 settings (scripts/serve.sh's).
const appFlags = flag("app-flags", "");
const wrapped = cpuProf || traceGc || heapSample || appFlags !== "";
const which = flag("db", "both");
if (!["sqlite", "postgres", "both"].includes(which)) throw new Error(`--db must be sqlite, postgres or both, not '${which}'`);
const fleet: TFleet = { instances: Number(flag("instances", quick ? "300" : "10000")), services: Number(flag("services", quick ? "30" : "1000")) };
if (!(fleet.instances >= 10 && fleet.services >= 2 && fleet.services <= fleet.instances))
  throw new Error("need --instances >= 10 and 2 <= --services <= --instances");
const soakSeconds = Number(flag("soak", quick ? "20" : "600"));
const stageSeconds = quick ? 3 : 15;
const idleSeconds = quick ? 5 : 20;
const massCount = quick ? 200 : 2000;
const concurrency = { register: 64, heartbeats: 64, discoveryService: 16, discoveryCatalog: 4 };
const soakTtl = { text: "10s", ms: 10_000 };
const beatEveryMs = 5000;
const postgresPort = Number(flag("pg-port", "55433"));

const root = process.cwd();
const runDir = resolve(root, ".tmp", "bench", `registry-${new Date().toISOString().replace(/[:.]/g, "-")}`);
const profileDir = join(runDir, "profiles");
const cleanups = new Set<() => Promise<void> | void>();
const log = (message: string) => console.log(`${new Date().toISOString()} bench:registry ${message}`);

function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, fail) => (timer = setTimeout(() => fail(new Error(`${what} did not finish within ${Math.round(ms / 1000)} s`)), ms)));
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** Runs a stage within its deadline: its value, or "failed: reason" for the table, and the run goes on. */
async function stage<T>(name: string, limitMs: number, fn: () => Promise<T>): Promise<TStage<T>> {
  log(`${name}: started`);
  try {
    const value = await withDeadline(fn(), limitMs, name);
    return { ok: true, value };
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0]! : String(error);
    log(`${name}: failed: ${reason}`);
    // A stage given up on may have left the load generator busy: the next stage gets a fresh one.
    await loader.restart().catch((restartError: unknown) => log(`load generator restart failed: ${String(restartError)}`));
    return { ok: false, reason };
  }
}

const show = (name: string, figures: TFigures) =>
  log(
    `${name}: ${Math.round(figures.okPerSecond)}/s, p50 ${figures.p50?.toFixed(1)} ms, p99 ${figures.p99?.toFixed(1)} ms; ${answersLine(figures)}${figures.lastError ? ` (last: ${figures.lastError})` : ""}`,
  );

// The load generator: a process of its own, restarted when a stage is given up on.
const loader = {
  child: null as ChildProcess | null,
  ask: null as TAsk<TLoadMessage, TLoadReport> | null,
  configured: null as { origins: string[]; token: string } | null,
  async start() {
    const child = fork(join(root, "bench", "registry", "load.ts"), [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
    const stop = () => stopChild(child, "load generator", log);
    cleanups.add(stop);
    child.once("exit", () => cleanups.delete(stop));
    this.child = child;
    this.ask = (await askingChild<TLoadMessage, TLoadReport>(child, "load generator")).ask;
    if (this.configured) await this.ask({ type: "configure", ...this.configured });
  },
  async restart() {
    if (this.child) await stopChild(this.child, "load generator", log);
    await this.start();
  },
  async configure(origins: string[], token: string) {
    this.configured = { origins, token };
    await this.ask!({ type: "configure", origins, token });
  },
  get request(): TAsk<TLoadMessage, TLoadReport> {
    if (!this.ask) throw new Error("the load generator is not running");
    return this.ask;
  },
};

type TProcess = { name: string; child: ChildProcess };

/** A process in its own group, logging to the run directory; stopped (the whole group) on the way out. */
function spawnLogged(name: string, command: string, commandArgs: string[], env: Record<string, string>): TProcess {
  const out = openSync(join(runDir, `${name}.log`), "a");
  const child = spawn(command, commandArgs, { cwd: root, detached: true, stdio: ["ignore", out, out], env: { ...process.env, ...env } });
  const stop = () => stopChild(child, name, log, { group: true });
  cleanups.add(stop);
  child.once("exit", () => cleanups.delete(stop));
  return { name, child };
}

async function waitHealthy(process: TProcess, baseUrl: string) {
  await waitFor(`${process.name} at ${baseUrl}/api/healthz`, 120_000, async () => {
    if (process.child.exitCode !== null) throw new Error(`${process.name} exited with ${process.child.exitCode}; see ${join(runDir, `${process.name}.log`)}`);
    return (await fetch(`${baseUrl}/api/healthz`, { signal: AbortSignal.timeout(5000) })).ok ? true : null;
  });
}

const admin = { email: "admin@meshdeck.bench", password: randomBytes(12).toString("base64url") };

/**
 * With --cpu-prof or --trace-gc, a `node` first on the app's PATH that adds them (which node refuses in NODE_OPTIONS),
 * so the app is still launched by scripts/serve.sh with its own flags. Answers the PATH to give the app.
 */
let profilingBin: string | undefined;
function profilingPath(): string {
  // Written once: rewritten while another app's shell reads it, it ran as an empty script.
  if (profilingBin) return `${profilingBin}:${process.env.PATH ?? ""}`;
  const bin = join(profileDir, "bin");
  mkdirSync(bin, { recursive: true });
  const node = join(bin, "node");
  const flags = [
    ...(cpuProf ? [`--cpu-prof --cpu-prof-dir='${profileDir}'`] : []),
    ...(traceGc ? ["--trace-gc"] : []),
    ...(appFlags ? [appFlags] : []),
    ...(heapSample ? [`--import '${join(root, "bench", "shared", "heap-sample.mjs")}'`] : []),
  ].join(" ");
  writeFileSync(node, `#!/bin/sh\nexec '${process.execPath}' ${flags} "$@"\n`);
  chmodSync(node, 0o755);
  profilingBin = bin;
  return `${bin}:${process.env.PATH ?? ""}`;
}

/** Where each profiled app spent its CPU since `fromMs` (epoch): printed, and kept in the run directory. */
function reportProfiles(database: string, fromMs: number) {
  const files = readdirSync(profileDir).filter((file) => file.startsWith("CPU.") && file.endsWith(".cpuprofile"));
  const lines = (list: { name: string; selfMs: number; share: number }[]) =>
    list.map((t) => `${(t.share * 100).toFixed(1).padStart(5)} %  ${t.selfMs.toFixed(0).padStart(7)} ms  ${t.name}`).join("\n");
  for (const file of files) {
    // Profiles are named CPU.<date>.<time>.<pid>...: the start time is in the profile itself, as its startTime.
    const shares = profileShares(join(profileDir, file), { limit: 30, skipMs: Math.max(0, fromMs - profileStarted(join(profileDir, file))) });
    const text = `${database} CPU profile ${file}, ${(shares.busyMs / 1000).toFixed(1)} s busy:\n\nBy module:\n${lines(shares.modules)}\n\nBy function:\n${lines(shares.functions)}\n`;
    writeFileSync(join(profileDir, `${database}-${file}.txt`), text);
    // Named for its database, so the next database's report leaves it out.
    renameSync(join(profileDir, file), join(profileDir, `${database}-${file}`));
    console.log(`\n${text}`);
  }
}

/** The moment (epoch ms) a profiled process began, from the file's modification time less the profile's length. */
function profileStarted(file: string): number {
  const profile = JSON.parse(readFileSync(file, "utf8")) as { startTime: number; endTime: number };
  return statSync(file).mtimeMs - (profile.endTime - profile.startTime) / 1000;
}

/** The app (scripts/serve.sh, as tests/support/start-app.ts starts it) on a free port. */
async function startApp(name: string, databaseUrl: string, env: Record<string, string> = {}) {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const app = spawnLogged(name, "bash", ["scripts/serve.sh"], {
    NEXT_TELEMETRY_DISABLED: "1",
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    MESHDECK_HOST: "127.0.0.1",
    MESHDECK_DEMO: "0",
    MESHDECK_GATEWAY: "off",
    MESHDECK_ADMIN_EMAIL: admin.email,
    MESHDECK_ADMIN_PASSWORD: admin.password,
    ...(wrapped ? { PATH: profilingPath(), MESHDECK_BENCH_HEAP_DIR: profileDir } : {}),
    ...(heapSurvivors ? { MESHDECK_BENCH_HEAP_SURVIVORS: "1" } : {}),
    ...env,
  });
  await waitHealthy(app, baseUrl);
  return { ...app, baseUrl };
}

type TTarget = {
  origins: string[];
  adminOrigin: string;
  processes: TProcess[];
  databaseUrl: string;
  /** PostgreSQL's postmaster (its backends are its children). */
  postgresPid?: number;
  stop: () => Promise<void>;
};

async function startTarget(database: "sqlite" | "postgres"): Promise<TTarget> {
  const started: TProcess[] = [];
  const stops: (() => Promise<void> | void)[] = [];
  const stop = async () => {
    for (const { name, child } of started.reverse()) await stopChild(child, name, log, { group: true });
    for (const fn of stops.reverse()) {
      await fn();
      cleanups.delete(fn);
    }
  };
  try {
    if (database === "sqlite") {
      const databaseUrl = `file:${join(runDir, "sqlite", "meshdeck.db")}`;
      mkdirSync(join(runDir, "sqlite"), { recursive: true });
      const app = await startApp("app", databaseUrl);
      started.push(app);
      return { origins: [app.baseUrl], adminOrigin: app.baseUrl, processes: started, databaseUrl, stop };
    }
    const pg = startPostgres(postgresPort);
    stops.push(pg.stop);
    cleanups.add(pg.stop);
    log(`PostgreSQL at ${pg.url} (data in ${pg.dir})`);
    // The first app migrates the fresh database; the others start once it has.
    const first = await startApp("app-1", pg.url, { MESHDECK_COLLECTOR: "off" });
    started.push(first);
    const others = await Promise.all([2, 3].map((n) => startApp(`app-${n}`, pg.url, { MESHDECK_COLLECTOR: "off" })));
    started.push(...others);
    for (const n of [1, 2, 3]) {
      started.push(
        spawnLogged(`collector-${n}`, process.execPath, ["--import", "tsx", "--conditions=react-server", "collector/index.ts"], {
          NODE_ENV: "production",
          DATABASE_URL: pg.url,
          MESHDECK_LOG_LEVEL: "info",
        }),
      );
    }
    const db = await openBenchDb(pg.url);
    try {
      await waitFor("3 collector leases", 90_000, async () => ((await db.collectorCount()) >= 3 ? true : null));
    } finally {
      await db.close();
    }
    const postgresPid = Number(readFileSync(join(pg.dir, "data", "postmaster.pid"), "utf8").split("\n")[0]);
    return { origins: [first, ...others].map((app) => app.baseUrl), adminOrigin: first.baseUrl, processes: started, databaseUrl: pg.url, postgresPid, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function usageOf(samplers: { name: string; sampler: UsageSampler }[], from: number, to: number, pick: "cpu" | "rss"): TUsageFigure[] {
  return samplers.map(({ name, sampler }) => {
    const window = sampler.window(from, to);
    return { name, cpuPercent: pick === "cpu" ? (window?.cpuPercent ?? null) : null, rssMb: window ? window.peakRss / 2 ** 20 : null };
  });
}

/** A source reading `count` keys under one etcd lease; the lease revoked and the time until the catalog holds none. */
async function massRemoval(etcd: TEtcd, db: TBenchDb, adminOrigin: string, cookie: string, database: string) {
  const source = "bench-etcd";
  const service = "etcd-mass";
  const prefix = `/bench/${database}/`;
  const lease = etcd.client.lease(600);
  for (let start = 0; start < massCount; start += 200) {
    await Promise.all(
      Array.from({ length: Math.min(200, massCount - start) }, (_, i) => {
        const k = start + i;
        return lease.put(`${prefix}${service}/m-${k}`).value(`http://10.200.${(k >> 8) & 255}.${k & 255}:8080`);
      }),
    );
  }
  const created = await fetch(`${adminOrigin}/api/v1/sources`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie, origin: adminOrigin },
    body: JSON.stringify({ name: source, kind: "etcd", convention: "url", endpoints: [`http://${etcd.endpoint}`], prefix }),
    signal: AbortSignal.timeout(30_000),
  });
  if (created.status !== 201) throw new Error(`creating the etcd source answered ${created.status}: ${(await created.text()).slice(0, 200)}`);
  await waitFor(`${massCount} instances from the etcd source`, 180_000, async () => ((await db.sourceInstanceCount(source)) >= massCount ? true : null), 200);
  await sleep(2000);
  await loader.request({ type: "healthz-start", everyMs: 20 });
  await sleep(1000);
  const revokedAt = performance.now();
  await lease.revoke();
  let clearMs: number | null = null;
  let remaining = massCount;
  const limit = revokedAt + 120_000;
  while (performance.now() < limit) {
    remaining = await db.sourceInstanceCount(source);
    if (remaining === 0) {
      clearMs = performance.now() - revokedAt;
      break;
    }
    await sleep(20);
  }
  await sleep(1000);
  const { figures: healthz } = await loader.request({ type: "healthz-stop" });
  return { count: massCount, clearMs, remaining, healthz, events: await db.eventCounts(source, service) };
}

/** Every stage of a database failed for one reason (it did not start, the admin could not sign in). */
function failedAll(database: "sqlite" | "postgres", error: unknown): TDatabaseResult {
  const no = { ok: false as const, reason: error instanceof Error ? error.message.split("\n")[0]! : String(error) };
  log(`${database}: ${no.reason}`);
  const [apps, collectors] = database === "sqlite" ? [1, 0] : [3, 3];
  return {
    database,
    apps,
    collectors,
    register: no,
    idle: no,
    discoveryService: no,
    discoveryCatalog: no,
    heartbeats: no,
    mass: no,
    soak: no,
    peakRss: [],
    soakCpu: [],
    phaseNotes: [],
  };
}

async function measureDatabase(database: "sqlite" | "postgres", etcd: TEtcd | null): Promise<TDatabaseResult> {
  log(`${database}: starting`);
  const target = await startTarget(database);
  const db = await openBenchDb(target.databaseUrl).catch(async (error: unknown) => {
    await target.stop();
    throw error;
  });
  const samplers = target.processes.map(({ name, child }) => ({ name, sampler: new UsageSampler(child.pid!) }));
  // A profile is read from here on: the apps' start-up left out.
  const measuredFrom = Date.now();
  const phaseNotes: string[] = [];
  // Where the CPU went during a phase (every process, PostgreSQL and the client included) and, on PostgreSQL, what
  // its backends were doing: the why of a rate or a tail.
  const observed = async <T>(phase: string, fn: () => Promise<T>): Promise<T> => {
    const watchedPids = [
      ...target.processes.map(({ name, child }) => ({ name, pid: child.pid! })),
      ...(target.postgresPid ? [{ name: "postgres", pid: target.postgresPid }] : []),
      ...(loader.child?.pid ? [{ name: "client", pid: loader.child.pid }] : []),
    ];
    const before = watchedPids.map(({ pid }) => readUsage(pid));
    const busyFrom = readMachineBusySeconds();
    const stopActivity = target.postgresPid ? await sampleActivity(target.databaseUrl) : undefined;
    // The heap sampler of each app starts and stops on SIGUSR2 (bench/shared/heap-sample.mjs).
    const signalApps = () => target.processes.filter(({ name }) => name.startsWith("app")).forEach(({ child }) => child.kill("SIGUSR2"));
    if (heapSample) signalApps();
    try {
      return await fn();
    } finally {
      if (heapSample) signalApps();
      const activity = await stopActivity?.();
      const after = watchedPids.map(({ pid }) => readUsage(pid));
      const seconds = (after[0]!.at - before[0]!.at) / 1000;
      const cpu = watchedPids.map(({ name }, i) => `${name} ${(((after[i]!.cpuSeconds - before[i]!.cpuSeconds) / seconds) * 100).toFixed(0)} %`);
      const note = `CPU during ${phase} (${seconds.toFixed(1)} s, % of one core): ${cpu.join(", ")}; machine busy ${(((readMachineBusySeconds() - busyFrom) / seconds) * 100).toFixed(0)} %${activity ? `. PostgreSQL backends: ${activityLine(activity)}` : ""}`;
      log(`${database} ${note}`);
      phaseNotes.push(note);
    }
  };
  try {
    const session = await adminAndToken({ name: database, baseUrl: target.adminOrigin, databaseUrl: target.databaseUrl, admin }, "bench-registry");
    await loader.configure(target.origins, session.token);

    const register = !runs("register")
      ? skipped
      : await stage(`${database} registration`, 20 * 60_000, async () => {
          const answer = await observed("registration", () =>
            loader.request({
              type: "register",
              fleet,
              ttl: "1h",
              concurrency: concurrency.register,
              deadlineMs: (quick ? 120 : 900) * 1000,
            }),
          );
          show(`${database} registration`, answer.figures);
          const ok = new Set(answer.okIds);
          const stored = await db.builtinInstanceIds();
          const storedSet = new Set(stored);
          const result = {
            figures: answer.figures,
            attempted: answer.attempted,
            stoppedAtDeadline: answer.stoppedAtDeadline,
            stored: stored.length,
            storedWithout2xx: stored.filter((id) => !ok.has(id)).length,
            okNotStored: answer.okIds.filter((id) => !storedSet.has(id)).length,
          };
          log(`${database} registration: ${result.stored} stored, ${result.storedWithout2xx} without a 2xx, ${result.okNotStored} 2xx not stored`);
          return result;
        });
    const heldFrom = Date.now();

    const idle = !runs("idle")
      ? skipped
      : await stage(`${database} idle`, (idleSeconds + 60) * 1000, async () => {
          await sleep(5000);
          const from = Date.now();
          await sleep(idleSeconds * 1000);
          samplers.forEach(({ sampler }) => sampler.sample());
          const processes = usageOf(samplers, from, Date.now(), "cpu");
          log(`${database} idle CPU: ${processes.map((p) => `${p.name} ${p.cpuPercent?.toFixed(1)} %`).join(", ")}`);
          return { seconds: idleSeconds, processes };
        });

    const rateStage = async (phase: TPhase, name: string, kind: "heartbeat" | "discovery-service" | "discovery-catalog", clients: number) =>
      !runs(phase)
        ? skipped
        : stage(`${database} ${name}`, (stageSeconds + 90) * 1000, async () => {
            const load = () => loader.request({ type: "load", kind, service: bigService, concurrency: clients, seconds: stageSeconds });
            const { figures } = kind === "heartbeat" ? await observed(name, load) : await load();
            show(`${database} ${name}`, figures);
            return figures;
          });
    // Without the idle phase, as long a pause: the apps settle after registration (each reads the instances the others
    // registered) before a rate is measured, as in a full run.
    if (!runs("idle") && (runs("beats") || runs("discovery"))) await sleep((idleSeconds + 5) * 1000);
    const discoveryService = await rateStage("discovery", "discovery of one service", "discovery-service", concurrency.discoveryService);
    const discoveryCatalog = await rateStage("discovery", "discovery of the catalog", "discovery-catalog", concurrency.discoveryCatalog);
    const heartbeats = await rateStage("beats", "heartbeats", "heartbeat", concurrency.heartbeats);

    const mass = !runs("mass")
      ? skipped
      : etcd
        ? await stage(`${database} mass removal`, 6 * 60_000, async () => {
            const result = await massRemoval(etcd, db, target.adminOrigin, session.cookie, database);
            log(
              `${database} mass removal of ${result.count}: ${result.clearMs === null ? `not cleared, ${result.remaining} left` : `${(result.clearMs / 1000).toFixed(2)} s`}; healthz p99 ${result.healthz.p99?.toFixed(1)} ms, max ${result.healthz.max?.toFixed(1)} ms, ${result.healthz.timeouts} timeouts`,
            );
            return result;
          })
        : { ok: false as const, reason: "etcd did not start" };

    const soakFrom = Date.now();
    const soak = !runs("soak")
      ? skipped
      : await stage(`${database} TTL soak`, (soakSeconds + 180) * 1000, async () => {
          const answer = await loader.request({ type: "soak", fleet, ttl: soakTtl.text, beatEveryMs, seconds: soakSeconds, concurrency: concurrency.register });
          const expiries = (await db.ttlExpiries()).filter((event) => event.at >= answer.startedAt && event.at <= answer.endedAt + 1000);
          const gaps = Object.values(answer.gaps).filter(Number.isFinite);
          const result = {
            seconds: soakSeconds,
            ttlMs: soakTtl.ms,
            beatEveryMs,
            register: answer.register,
            beats: answer.beats,
            ttlExpiries: expiries.length,
            falseExpiries: expiries.filter((event) => (answer.gaps[event.instanceId] ?? Infinity) <= soakTtl.ms).length,
            instancesOverTtl: Object.values(answer.gaps).filter((gap) => gap > soakTtl.ms).length,
            maxGapMs: gaps.length ? Math.max(...gaps) : null,
            notRegistered: Object.values(answer.gaps).filter((gap) => !Number.isFinite(gap)).length,
          };
          show(`${database} soak re-registration`, answer.register);
          show(`${database} soak heartbeats`, answer.beats);
          log(
            `${database} soak: ${result.falseExpiries} false expiries of ${result.ttlExpiries} TTL expiries; ${result.instancesOverTtl} instances with a client gap > TTL (p99 gap ${percentile(gaps, 99)?.toFixed(0)} ms, max ${result.maxGapMs?.toFixed(0)} ms)`,
          );
          return result;
        });
    const soakTo = Date.now();
    samplers.forEach(({ sampler }) => sampler.sample());
    return {
      database,
      apps: target.origins.length,
      collectors: target.processes.filter((p) => p.name.startsWith("collector")).length,
      register,
      idle,
      discoveryService,
      discoveryCatalog,
      heartbeats,
      mass,
      soak,
      peakRss: usageOf(samplers, heldFrom, soakTo, "rss"),
      soakCpu: usageOf(samplers, soakFrom, soakTo, "cpu"),
      phaseNotes,
    };
  } finally {
    samplers.forEach(({ sampler }) => sampler.stop());
    await db.close().catch(() => undefined);
    log(`${database}: stopping`);
    await target.stop();
    if (cpuProf) reportProfiles(database, measuredFrom);
  }
}

async function measureBare(): Promise<TBare> {
  const port = await freePort();
  const bare = spawnLogged("bare-node", process.execPath, [join(root, "bench", "shared", "bare-server.mjs")], { PORT: String(port) });
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitFor("the bare Node server", 20_000, async () => ((await fetch(baseUrl, { signal: AbortSignal.timeout(2000) })).ok ? true : null), 100);
    await loader.configure([baseUrl], "bare");
    const register = !runs("register")
      ? skipped
      : await stage("bare registration", 10 * 60_000, async () => {
          const answer = await loader.request({ type: "register", fleet, ttl: "1h", concurrency: concurrency.register, deadlineMs: 300_000 });
          show("bare registration", answer.figures);
          return answer.figures;
        });
    const rateStage = async (phase: TPhase, name: string, kind: "heartbeat" | "discovery-service" | "discovery-catalog", clients: number) =>
      !runs(phase)
        ? skipped
        : stage(`bare ${name}`, (stageSeconds + 60) * 1000, async () => {
            const { figures } = await loader.request({ type: "load", kind, service: bigService, concurrency: clients, seconds: stageSeconds });
            show(`bare ${name}`, figures);
            return figures;
          });
    return {
      register,
      heartbeats: await rateStage("beats", "heartbeats", "heartbeat", concurrency.heartbeats),
      discoveryService: await rateStage("discovery", "discovery of one service", "discovery-service", concurrency.discoveryService),
      discoveryCatalog: await rateStage("discovery", "discovery of the catalog", "discovery-catalog", concurrency.discoveryCatalog),
    };
  } finally {
    await stopChild(bare.child, "bare-node", log, { group: true });
  }
}

async function main(): Promise<number> {
  mkdirSync(runDir, { recursive: true });
  log(`run directory ${runDir}; ${fleet.instances} instances in ${fleet.services} services, soak ${soakSeconds} s, databases: ${which}`);
  const prepare = spawnSync("bash", ["scripts/prepare.sh"], { cwd: root, stdio: "inherit" });
  if (prepare.status !== 0) throw new Error("scripts/prepare.sh failed");
  await loader.start();
  const notes: string[] = [];

  const machineLoad: TResult["machineLoad"] = [];
  const watched = async <T>(phase: string, fn: () => Promise<T>): Promise<T> => {
    const [busyFrom, from, loadAverage] = [readMachineBusySeconds(), Date.now(), loadavg()[0]!];
    try {
      return await fn();
    } finally {
      machineLoad.push({ phase, loadAverage, busyPercent: ((readMachineBusySeconds() - busyFrom) / ((Date.now() - from) / 1000)) * 100 });
    }
  };
  const bare = await watched("bare Node", measureBare).catch((error: unknown): TBare => {
    const no = { ok: false as const, reason: error instanceof Error ? error.message.split("\n")[0]! : String(error) };
    log(`bare Node server: ${no.reason}`);
    return { register: no, heartbeats: no, discoveryService: no, discoveryCatalog: no };
  });
  let etcd: TEtcd | null = null;
  if (runs("mass")) {
    try {
      etcd = await startEtcd();
      const started = etcd;
      const stop = () => started.stop();
      cleanups.add(stop);
    } catch (error) {
      notes.push(`etcd did not start: ${String(error).split("\n")[0]}`);
    }
  }
  const databases: TDatabaseResult[] = [];
  for (const database of which === "both" ? (["sqlite", "postgres"] as const) : [which as "sqlite" | "postgres"]) {
    databases.push(await watched(database, () => measureDatabase(database, etcd)).catch((error: unknown) => failedAll(database, error)));
  }

  const result: TResult = {
    date: new Date().toISOString(),
    command: `npm run bench:registry${args.length ? ` -- ${args.join(" ")}` : ""}`,
    commit: spawnSync("git", ["rev-parse", "HEAD"], { cwd: root, encoding: "utf8" }).stdout.trim(),
    instances: fleet.instances,
    services: fleet.services,
    bigService: bigServiceSize(fleet),
    massCount,
    stageSeconds,
    beatEveryMs,
    concurrency,
    bare,
    databases,
    machineLoad,
    notes,
  };
  const section = renderSection(result);
  console.log(`\n${section}`);
  if (writeDoc) {
    replaceInDoc(join(root, "docs", "benchmarks.md"), docHeading, section);
    // As `npm run format` has it (tables padded), so scripts/check.sh passes on the written doc.
    spawnSync(join(root, "node_modules", ".bin", "prettier"), ["--write", "--log-level", "warn", "docs/benchmarks.md"], { cwd: root, stdio: "inherit" });
    log(`"${docHeading}" section written to docs/benchmarks.md`);
  }
  const missed = databases.flatMap((database) => rowsOf(result, database)).filter((row) => row.met === false);
  log(`RESULT: ${missed.length === 0 ? "all targets met" : `${missed.length} targets missed`}; logs in ${runDir}`);
  return missed.length === 0 ? 0 : 1;
}

runBench({
  main,
  shutdown: async () => {
    for (const cleanup of [...cleanups].reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
  },
});
