// `npm run bench:sources [-- --instances N] [-- --changes N] [-- --database postgres] [-- --no-doc]`: N instances
// (default 10 000, 100 services) written into a real etcd in the seed's key -> URL form; a real collector process
// (`collector/index.ts`) on a fresh database is given the source; measured: the initial sync time (source row
// written -> every instance in the database), then the lag of 1000 changes (update, delete, create; one at a
// time) from the etcd put to the database row, beside the lag of a plain etcd watcher in the same run (the floor
// any etcd client sees), and the CPU and RSS of the collector and of etcd. A section in docs/benchmarks.md.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, openSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Db } from "@/lib/db";
import { seededRandom } from "@/tests/support/seeded-random";
import { startEtcd, type TEtcd } from "@/tests/support/etcd";
import { readMachineBusySeconds, UsageSampler } from "../shared/proc";
import { runBench, sleep, startPostgres, stopChild, waitFor } from "../shared/process";
import { percentile, replaceInDoc } from "../shared/report";
import { renderSection, type TResult } from "./report";

const args = process.argv.slice(2);
function flag(name: string, fallback: string): string {
  const at = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (at === -1) return fallback;
  return args[at]!.includes("=") ? args[at]!.split("=")[1]! : (args[at + 1] ?? fallback);
}
const instanceCount = Number(flag("instances", "10000"));
const changeCount = Number(flag("changes", "1000"));
const database = flag("database", "sqlite");
const writeDoc = !args.includes("--no-doc");
const services = 100;
const prefix = "/bench/services/";
const source = "bench-etcd";
// The database is looked at this often while waiting for a change: the lag's resolution.
const pollMs = 2;

const root = process.cwd();
const runDir = resolve(root, ".tmp", "bench", `sources-${new Date().toISOString().replace(/[:.]/g, "-")}`);
const cleanups: (() => Promise<void> | void)[] = [];
const log = (message: string) => console.log(`${new Date().toISOString()} bench:sources ${message}`);
const now = () => performance.timeOrigin + performance.now();
// Imported once DATABASE_URL names this run's database: the client reads it when first loaded.
let db: Db;

const keyOf = (index: number) => `${prefix}svc-${String(index % services).padStart(3, "0")}/i-${index}`;
const urlOf = (port: number) => `http://127.0.0.1:${port}`;

async function writeInstances(etcd: TEtcd) {
  const batch = 200;
  for (let start = 0; start < instanceCount; start += batch) {
    await Promise.all(
      Array.from({ length: Math.min(batch, instanceCount - start) }, (_, k) => etcd.client.put(keyOf(start + k)).value(urlOf(20_000 + ((start + k) % 40_000)))),
    );
  }
}

function startCollector(databaseUrl: string): ChildProcess {
  const out = openSync(join(runDir, "collector.log"), "a");
  // tsx as a loader: the pid measured is the collector's own.
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "collector/index.ts"], {
    env: { PATH: process.env.PATH, NODE_ENV: "production", DATABASE_URL: databaseUrl, MESHDECK_LOG_LEVEL: "info" },
    stdio: ["ignore", out, out],
    detached: true,
  });
  cleanups.push(() => stopChild(child, "collector", log, { group: true }));
  return child;
}

type TChangeKind = "update" | "delete" | "create";

/** One change at a time: its put (or delete), then the database looked at until it shows it. */
async function measureChanges(etcd: TEtcd) {
  const next = seededRandom(7);
  const watched = new Map<string, number>();
  const watcher = await etcd.client.watch().prefix(prefix).create();
  watcher.on("put", (kv) => watched.set(`put ${kv.key.toString()} ${kv.value.toString()}`, now()));
  watcher.on("delete", (kv) => watched.set(`delete ${kv.key.toString()}`, now()));
  const deleted: number[] = [];
  const lags: Record<TChangeKind, number[]> = { update: [], delete: [], create: [] };
  const etcdLags: number[] = [];
  let port = 40_000;
  for (let i = 0; i < changeCount; i += 1) {
    const roll = next();
    const kind: TChangeKind = roll < 0.1 && deleted.length < instanceCount / 2 ? "delete" : roll < 0.2 && deleted.length > 0 ? "create" : "update";
    let index = kind === "create" ? deleted.shift()! : Math.floor(next() * instanceCount);
    // Updates and deletes go to instances that are there.
    while (kind !== "create" && deleted.includes(index)) index = (index + 1) % instanceCount;
    const key = keyOf(index);
    const instanceId = `i-${index}`;
    const value = urlOf((port += 1) % 60_000 || 1);
    const started = now();
    if (kind === "delete") await etcd.client.delete().key(key).exec();
    else await etcd.client.put(key).value(value);
    const done = async () => {
      const row = await db.instance.findUnique({ where: { source_instanceId: { source, instanceId } }, select: { port: true } });
      return kind === "delete" ? row === null : row?.port === Number(value.split(":").at(-1));
    };
    while (!(await done())) {
      if (now() - started > 10_000) throw new Error(`change ${i} (${kind} ${key}) not in the database after 10 s`);
      await sleep(pollMs);
    }
    lags[kind].push(now() - started);
    if (kind === "delete") deleted.push(index);
    const seenAt = watched.get(kind === "delete" ? `delete ${key}` : `put ${key} ${value}`);
    if (seenAt !== undefined) etcdLags.push(seenAt - started);
  }
  await watcher.cancel();
  return { lags, etcdLags };
}

async function main(): Promise<number> {
  mkdirSync(runDir, { recursive: true });
  log(`run directory ${runDir}`);
  let databaseUrl = `file:${join(runDir, "meshdeck.db")}`;
  if (database === "postgres") {
    const pg = startPostgres(56_732);
    cleanups.push(pg.stop);
    databaseUrl = pg.url;
  }
  process.env.DATABASE_URL = databaseUrl;
  ({ db } = await import("@/lib/db"));
  await (await import("@/lib/db/migrate")).migrateDatabase();
  const etcd = await startEtcd();
  cleanups.push(() => etcd.stop());
  const etcdVersion = spawnSync("/usr/bin/etcd", ["--version"], { encoding: "utf8" }).stdout.split("\n")[0]?.trim() ?? "etcd";
  const wroteAt = now();
  await writeInstances(etcd);
  log(`${instanceCount} instances written to etcd ${etcd.endpoint} in ${((now() - wroteAt) / 1000).toFixed(1)} s`);

  const collector = startCollector(databaseUrl);
  await waitFor("the collector's lease", 60_000, async () => ((await db.collectorLease.count()) > 0 ? true : null), 200);
  const collectorUsage = new UsageSampler(collector.pid!);
  const etcdUsage = new UsageSampler(etcd.pid()!);
  cleanups.push(() => (collectorUsage.stop(), etcdUsage.stop()));

  const syncStarted = now();
  await db.source.create({ data: { name: source, kind: "etcd", convention: "url", endpoints: JSON.stringify([etcd.endpoint]), prefix, createdBy: "bench" } });
  await waitFor("the initial sync", 120_000, async () => ((await db.instance.count({ where: { source } })) >= instanceCount ? true : null), 20);
  const syncMs = now() - syncStarted;
  log(`initial sync of ${instanceCount} instances: ${(syncMs / 1000).toFixed(2)} s`);
  await sleep(2000);
  const idleFrom = Date.now();
  const busyFrom = readMachineBusySeconds();
  await sleep(10_000);
  const idle = { collector: collectorUsage.window(idleFrom, Date.now()), etcd: etcdUsage.window(idleFrom, Date.now()) };

  log(`${changeCount} changes, one at a time`);
  const changesFrom = Date.now();
  const { lags, etcdLags } = await measureChanges(etcd);
  collectorUsage.sample();
  etcdUsage.sample();
  const changesTo = Date.now();
  const busy = readMachineBusySeconds() - busyFrom;
  const all = [...lags.update, ...lags.delete, ...lags.create];
  const result: TResult = {
    date: new Date().toISOString(),
    database,
    etcdVersion,
    instances: instanceCount,
    services,
    syncMs,
    lag: {
      count: all.length,
      p50: percentile(all, 50)!,
      p99: percentile(all, 99)!,
      max: Math.max(...all),
      byKind: Object.fromEntries(
        Object.entries(lags).map(([kind, values]) => [kind, { count: values.length, p50: percentile(values, 50), p99: percentile(values, 99) }]),
      ),
    },
    etcdLag: { count: etcdLags.length, p50: percentile(etcdLags, 50)!, p99: percentile(etcdLags, 99)! },
    usage: {
      sync: { collector: collectorUsage.window(syncStarted - 1000, idleFrom), etcd: etcdUsage.window(syncStarted - 1000, idleFrom) },
      idle,
      changes: { collector: collectorUsage.window(changesFrom, changesTo), etcd: etcdUsage.window(changesFrom, changesTo) },
    },
    machineBusyPercent: (busy / ((changesTo - idleFrom) / 1000)) * 100,
    command: `npm run bench:sources${args.length ? ` -- ${args.join(" ")}` : ""}`,
    commit: spawnSync("git", ["rev-parse", "HEAD"], { encoding: "utf8" }).stdout.trim(),
    pollMs,
  };
  const section = renderSection(result);
  console.log(`\n${section}`);
  if (writeDoc) {
    replaceInDoc(join(root, "docs", "benchmarks.md"), "## Registry sources", section);
    log('"## Registry sources" section written to docs/benchmarks.md');
  }
  const met = result.syncMs < 10_000 && result.lag.p99 < 500;
  log(`RESULT: ${met ? "all targets met" : "a target was missed"}`);
  return met ? 0 : 1;
}

runBench({
  main,
  shutdown: async () => {
    for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
    await db?.$disconnect().catch(() => undefined);
  },
});
