// `npm run bench:config [-- --watchers N] [-- --changes N] [-- --every MS] [-- --idle S] [-- --no-doc]`: the built app (HEAD, SQLite)
// with N long-poll watchers of one config item, idle for S s with every watch held (server CPU and RSS), then N changes published
// one every MS ms, each timed from the start of its publish to every watcher's answer; then the same against etcd 3.4 with N
// watchers of one key and the same puts. Defaults: 1000 watchers, 50 changes, every 1000 ms, 40 s idle (about 4 minutes, plus a
// build of the commit the first time). A section in docs/benchmarks.md.
import { fork, type ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Etcd3 } from "etcd3";
import { prepareApp, startSignedIn } from "../gateway/app";
import { UsageSampler } from "../shared/proc";
import { freePort, runBench, sleep, stopChild, waitFor } from "../shared/process";
import { replaceInDoc } from "../shared/report";
import { ensureEtcd, startEtcd } from "./etcd";
import { evaluate, renderSection, renderTable, renderTargets, type TResult, type TSide } from "./report";
import type { TWatchersMessage, TWatchersStart } from "./watchers";

const args = process.argv.slice(2);
function flag(name: string, fallback: string): string {
  const at = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (at === -1) return fallback;
  return args[at]!.includes("=") ? args[at]!.split("=")[1]! : (args[at + 1] ?? fallback);
}
const watchers = Number(flag("watchers", "1000"));
const changes = Number(flag("changes", "50"));
const everyMs = Number(flag("every", "1000"));
const idleSeconds = Number(flag("idle", "40"));
const writeDoc = !args.includes("--no-doc");
const item = { namespace: "dev", group: "bench", key: "watched.json" };
const etcdKey = "/bench/watched";

const root = process.cwd();
const runDir = resolve(root, ".tmp", "bench", `config-${new Date().toISOString().replace(/[:.]/g, "-")}`);
const children: { child: ChildProcess; name: string; group: boolean }[] = [];

function log(message: string) {
  console.log(`${new Date().toISOString()} bench:config ${message}`);
}

function track(child: ChildProcess, name: string, group: boolean) {
  children.push({ child, name, group });
  writeFileSync(join(runDir, "pids.txt"), children.map((c) => `${c.child.pid} ${c.name}${c.group ? " (process group)" : ""}`).join("\n") + "\n");
  return child;
}

/** Forks the watchers' process and waits until every watcher holds the first version. */
async function startWatchers(start: TWatchersStart) {
  const child = track(
    fork(join(root, "bench", "config", "watchers.ts"), [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] }),
    `${start.mode} watchers`,
    false,
  );
  const ready = new Promise<void>((done) => child.on("message", (message: TWatchersMessage) => message.kind === "ready" && done()));
  child.send(start);
  await Promise.race([ready, sleep(120_000).then(() => Promise.reject(new Error(`${start.mode} watchers were not ready within 120 s`)))]);
  const report = () =>
    new Promise<Extract<TWatchersMessage, { kind: "report" }>>((done) => {
      const onMessage = (message: TWatchersMessage) => {
        if (message.kind !== "report") return;
        child.off("message", onMessage);
        done(message);
      };
      child.on("message", onMessage);
      child.send({ kind: "report" });
    });
  return { child, report };
}

/**
 * The common run for both sides: idle with every watch held, then the changes; the latencies of every watcher for every
 * change, counted from the start of its publish.
 */
async function measure({
  name,
  serverPid,
  watchersOf,
  publish,
}: {
  name: string;
  serverPid: number;
  watchersOf: () => Promise<Awaited<ReturnType<typeof startWatchers>>>;
  publish: (version: number) => Promise<void>;
}): Promise<{ side: TSide; clientCpu: number | null }> {
  const server = new UsageSampler(serverPid);
  const { child, report } = await watchersOf();
  const client = new UsageSampler(child.pid!);
  log(`${name}: ${watchers} watchers hold version 1; ${idleSeconds} s idle`);
  await sleep(2000);
  const idleFrom = Date.now();
  await sleep(idleSeconds * 1000);
  const idleTo = Date.now();
  server.sample();
  client.sample();
  const startedAt = new Map<number, number>();
  log(`${name}: publishing ${changes} changes, one every ${everyMs} ms`);
  for (let version = 2; version <= changes + 1; version += 1) {
    const due = Date.now() + everyMs;
    startedAt.set(version, Date.now());
    await publish(version);
    await sleep(Math.max(0, due - Date.now()));
  }
  const last = changes + 1;
  await waitFor(`${name}: every watcher to hear of version ${last}`, 15_000, async () =>
    ((await report()).received[last]?.length ?? 0) >= watchers ? true : null,
  ).catch((error: Error) => log(error.message));
  const publishTo = Date.now();
  server.sample();
  client.sample();
  const { received, errors, lastError } = await report();
  if (lastError) log(`${name}: ${errors} watcher errors, the last: ${lastError}`);
  const latencies = [...startedAt].flatMap(([version, at]) => (received[version] ?? []).map((seen) => seen - at));
  const idle = server.window(idleFrom, idleTo);
  const busy = server.window(idleTo, publishTo);
  server.stop();
  client.stop();
  await stopChild(child, `${name} watchers`, log);
  return {
    side: {
      name,
      latencies,
      missed: watchers * changes - latencies.length,
      idle: idle && { cpuPercent: idle.cpuPercent, peakRssMb: idle.peakRss / 2 ** 20, meanRssMb: idle.meanRss / 2 ** 20, seconds: idle.seconds },
      publishCpuPercent: busy?.cpuPercent ?? null,
      watcherErrors: errors,
    },
    clientCpu: client.window(idleFrom, idleTo)?.cpuPercent ?? null,
  };
}

async function main() {
  mkdirSync(runDir, { recursive: true });
  log(`run directory ${runDir}`);
  const etcdVersion = ensureEtcd(log);
  const app = prepareApp({ root, logFile: join(runDir, "build.log"), log });
  log(
    app.built
      ? `built commit ${app.commit.slice(0, 12)} in ${app.buildSeconds!.toFixed(0)} s`
      : `the app's sources at ${app.commit.slice(0, 12)} are built already in ${app.dir}`,
  );
  const notes: string[] = [];
  if (app.dirty.length) notes.push(`Uncommitted changes to the app's sources were not measured: ${app.dirty.join(", ")}.`);

  const { meshdeck, session, token } = await startSignedIn({ dir: app.dir, runDir, tokenName: "bench-watchers" });
  track(meshdeck.child, "meshdeck (server.mjs)", true);
  log(`Meshdeck at ${meshdeck.baseUrl} (pid ${meshdeck.child.pid})`);
  const path = `/api/v1/config/items/${item.namespace}/${item.group}/${item.key}`;
  const publishMeshdeck = async (version: number) => {
    const answer = await session.put(path, {
      format: "json",
      content: JSON.stringify({ version }),
      message: `bench change ${version}`,
      baseVersion: version - 1,
    });
    if (answer.status !== 200 || (answer.body as { version?: number }).version !== version)
      throw new Error(`publish of version ${version}: ${answer.status} ${JSON.stringify(answer.body)}`);
  };
  await publishMeshdeck(1);
  const mesh = await measure({
    name: "Meshdeck",
    serverPid: meshdeck.child.pid!,
    watchersOf: () =>
      startWatchers({
        kind: "start",
        mode: "meshdeck",
        baseUrl: meshdeck.baseUrl,
        token,
        count: watchers,
        staggerMs: 3000,
        item,
      }),
    publish: publishMeshdeck,
  });
  await stopChild(meshdeck.child, "meshdeck", log, { group: true });

  const etcdServer = await startEtcd({ dir: runDir, clientPort: await freePort(), peerPort: await freePort() });
  track(etcdServer.child, "etcd", true);
  log(`etcd ${etcdVersion} at ${etcdServer.endpoint} (pid ${etcdServer.child.pid})`);
  const etcd = new Etcd3({ hosts: etcdServer.endpoint });
  await etcd.put(etcdKey).value("1");
  const peer = await measure({
    name: "etcd",
    serverPid: etcdServer.child.pid!,
    watchersOf: () => startWatchers({ kind: "start", mode: "etcd", endpoint: etcdServer.endpoint, count: watchers, key: etcdKey }),
    publish: async (version) => void (await etcd.put(etcdKey).value(String(version))),
  });
  etcd.close();

  const result: TResult = {
    date: new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC",
    command: `npm run bench:config${args.filter((a) => a !== "--no-doc").length ? ` -- ${args.filter((a) => a !== "--no-doc").join(" ")}` : ""}`,
    commit: app.commit,
    database: "SQLite",
    watchers,
    changes,
    everyMs,
    idleSeconds,
    etcdVersion,
    meshdeck: mesh.side,
    etcd: peer.side,
    clientCpu: { meshdeck: mesh.clientCpu, etcd: peer.clientCpu },
    notes,
  };
  const missed = evaluate(result).filter((t) => !t.met);
  if (missed.length) notes.push(`Target missed: ${missed.map((t) => t.name).join("; ")}.`);
  if (mesh.side.missed || peer.side.missed)
    notes.push(`Notifications not received within 15 s of the last change: Meshdeck ${mesh.side.missed}, etcd ${peer.side.missed}.`);
  console.log(`\n${renderTable(result)}\n\nTargets:\n${renderTargets(result)}\n`);
  if (writeDoc) {
    replaceInDoc(join(root, "docs", "benchmarks.md"), "## Config watch:", renderSection(result));
    log("section written to docs/benchmarks.md");
  }
  return 0;
}

async function shutdown() {
  for (const { child, name, group } of [...children].reverse()) await stopChild(child, name, log, { group });
}

runBench({ main, shutdown });
