// `npm run bench:gateway [-- --duration S] [-- --warmup S] [-- --connections N] [-- --threads N] [-- --changes N]
// [-- --via registry|governance] [-- --profile] [-- --no-doc]`: 4 real HTTP instances on 127.0.0.1 registered with a real Meshdeck
// (weights 1:2:3:4), its gateway and HAProxy 2.6 in front of the same instances with the same weights; wrk direct to
// one instance, through the gateway and through HAProxy (requests/s, p50/p99, each instance's own count of what
// reached it); then 100 weight changes timed to the first request routed by the new weights; a section in
// docs/benchmarks.md. Defaults: -t2 -c64, 20 s per target after a 3 s warm-up, 100 changes (about 2 minutes,
// plus a build of the commit the first time). --profile: a V8 CPU profile of the gateway, its top functions printed
// (it slows the gateway down: use it with --no-doc).
import { fork, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { isGatewayListening, spawnGateway } from "../../lib/gateway/spawn-gateway";
import { processTree, readMachineBusySeconds, UsageSampler } from "../shared/proc";
import { askingChild, freePort, runBench, sleep, stopChild, waitFor, type TAsk } from "../shared/process";
import { profileShares } from "../shared/cpu-profile";
import { timeChanges } from "../shared/propagation";
import { appendToDoc } from "../shared/report";
import { ensureWrk, heaviestOthers, psTimes, runWrk as runWrkOnce } from "../shared/wrk";
import { prepareApp, startSignedIn } from "./app";
import { ensureHaproxy, startHaproxy, writeHaproxyConfig } from "./haproxy";
import {
  evaluate,
  propagationFigures,
  renderSection,
  renderTable,
  renderTargets,
  shares,
  type TPropagation,
  type TResult,
  type TThroughput,
  type TWrk,
} from "./report";
import type { TUpstreamsMessage, TUpstreamsReport } from "./upstreams";

const args = process.argv.slice(2);
function flag(name: string, fallback: string): string {
  const at = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (at === -1) return fallback;
  return args[at]!.includes("=") ? args[at]!.split("=")[1]! : (args[at + 1] ?? fallback);
}
const durationS = Number(flag("duration", "20"));
const warmupS = Number(flag("warmup", "3"));
const connections = Number(flag("connections", "64"));
// wrk competes with what it measures for the same 2 cores: at most 2 threads.
const threads = Math.min(2, Number(flag("threads", "2")));
const changeCount = Number(flag("changes", "100"));
const viaFlag = flag("via", "auto");
const writeDoc = !args.includes("--no-doc");
const profile = args.includes("--profile");
const weights = [1, 2, 3, 4];
const service = "bench";
const idOf = (index: number) => `bench-${index + 1}`;
// Part B: client loops sending one request at a time through the gateway, so bench-1 (10 % of them) sees one every few ms.
const pumps = 4;
const seenLimitMs = 3000;

const root = process.cwd();
const runDir = resolve(root, ".tmp", "bench", `gateway-${new Date().toISOString().replace(/[:.]/g, "-")}`);
const children: { child: ChildProcess; name: string; group: boolean }[] = [];
const cleanups: (() => Promise<void> | void)[] = [];

function log(message: string) {
  console.log(`${new Date().toISOString()} bench:gateway ${message}`);
}

function track(child: ChildProcess, name: string, group: boolean) {
  children.push({ child, name, group });
  writeFileSync(join(runDir, "pids.txt"), children.map((c) => `${c.child.pid} ${c.name}${c.group ? " (process group)" : ""}`).join("\n") + "\n");
  return child;
}

type TUpstreams = { child: ChildProcess; ports: number[]; ask: TAsk<TUpstreamsMessage, TUpstreamsReport> };

async function startUpstreams(): Promise<TUpstreams> {
  const child = fork(join(root, "bench", "gateway", "upstreams.ts"), [], {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, BENCH_UPSTREAMS: String(weights.length) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    detached: true,
  });
  track(child, "instances", true);
  const { ask, ready } = await askingChild<TUpstreamsMessage, TUpstreamsReport>(child, "instances");
  return { child, ports: ready.ports, ask };
}

/** spawnGateway's process with --cpu-prof before the script (node refuses it in NODE_OPTIONS). */
function spawnProfiledGateway(
  cwd: string,
  env: Record<string, string | undefined>,
  profileDir: string,
): { child: ChildProcess; listening: Promise<string | undefined> } {
  const child = spawn(process.execPath, ["--cpu-prof", `--cpu-prof-dir=${profileDir}`, "--import", "tsx", join(cwd, "gateway", "index.ts")], {
    cwd,
    env: { NODE_ENV: process.env.NODE_ENV, ...env },
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  const listening = new Promise<string | undefined>((resolve) => {
    setTimeout(() => resolve(undefined), 30_000).unref();
    child.on("message", (message) => isGatewayListening(message) && resolve(message.url));
    child.once("exit", () => resolve(undefined));
  });
  return { child, listening };
}

function runWrk(url: string, seconds: number, label: string): Promise<TWrk> {
  return runWrkOnce({ url, seconds, label, threads, connections, dir: runDir, track: (child, name) => track(child, name, true) });
}

async function main() {
  mkdirSync(runDir, { recursive: true });
  log(`run directory ${runDir}`);
  const haproxyVersion = ensureHaproxy();
  const wrkVersion = ensureWrk(log);

  const app = prepareApp({ root, logFile: join(runDir, "build.log"), log });
  log(
    app.built
      ? `built commit ${app.commit.slice(0, 12)} in ${app.buildSeconds!.toFixed(0)} s`
      : `the app's sources at ${app.commit.slice(0, 12)} are built already in ${app.dir} (from ${app.builtFrom.slice(0, 12)})`,
  );

  const upstreams = await startUpstreams();
  log(`${weights.length} instances listening on ports ${upstreams.ports.join(", ")}`);

  const { meshdeck, session, api, token } = await startSignedIn({ dir: app.dir, runDir, tokenName: "bench-gateway" });
  track(meshdeck.child, "meshdeck (server.mjs)", true);
  log(`Meshdeck at ${meshdeck.baseUrl} (pid ${meshdeck.child.pid}, log ${join(runDir, "app.log")})`);

  // A TTL of an hour: passing from registration on, no heartbeats or probes during the run; no metrics scraping.
  const registration = (index: number, weight: number) => ({
    service,
    id: idOf(index),
    host: "127.0.0.1",
    port: upstreams.ports[index]!,
    weight,
    check: { kind: "ttl", ttl: "1h" },
    metrics: null,
  });
  for (const [index, weight] of weights.entries()) {
    const answer = await api.post("/api/v1/registry/instances", registration(index, weight));
    if (answer.status !== 201 && answer.status !== 200) throw new Error(`registering ${idOf(index)}: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  log(`registered ${weights.map((w, i) => `${idOf(i)}=${w}`).join(", ")}`);

  const gatewayLog = createWriteStream(join(runDir, "gateway.log"));
  const profileDir = join(runDir, "gateway-profile");
  const gatewayStarted = Date.now();
  const gatewayEnv = {
    PATH: process.env.PATH,
    MESHDECK_URL: meshdeck.baseUrl,
    MESHDECK_TOKEN: token,
    MESHDECK_HOST: "127.0.0.1",
    MESHDECK_GATEWAY_PORT: "0",
    MESHDECK_LOG_LEVEL: "info",
  };
  const started = profile ? spawnProfiledGateway(app.dir, gatewayEnv, profileDir) : spawnGateway({ cwd: app.dir, env: gatewayEnv, output: "pipe" });
  started.child.stdout?.pipe(gatewayLog);
  started.child.stderr?.pipe(gatewayLog);
  track(started.child, "gateway", false);
  const gatewayUrl = await started.listening;
  if (!gatewayUrl) throw new Error(`the gateway did not start; see ${join(runDir, "gateway.log")}`);
  await waitFor("the gateway's first catalog", 15_000, async () => ((await fetch(`${gatewayUrl}/_gateway/health`)).status === 200 ? true : null), 100);
  // Routed once every instance has had a request through it.
  await upstreams.ask({ type: "reset" });
  await waitFor(
    "the gateway routing to all instances",
    15_000,
    async () => {
      for (let k = 0; k < 20; k++) await (await fetch(`${gatewayUrl}/${service}/work`)).arrayBuffer();
      const { counts } = await upstreams.ask({ type: "counts" });
      return counts.every((n) => n > 0) ? true : null;
    },
    100,
  );
  log(`gateway at ${gatewayUrl} (pid ${started.child.pid}) routes ${service} to all ${weights.length} instances`);

  const haproxyPort = await freePort();
  const haproxyConfig = writeHaproxyConfig({ dir: runDir, port: haproxyPort, upstreams: upstreams.ports.map((port, i) => ({ port, weight: weights[i]! })) });
  const haproxy = startHaproxy({ file: haproxyConfig.file, dir: runDir });
  track(haproxy, "haproxy", false);
  await waitFor("HAProxy answering", 10_000, async () => ((await fetch(`http://127.0.0.1:${haproxyPort}/work`)).status === 200 ? true : null), 100);
  // "Built with multi-threading support (MAX_THREADS=64, default=2)": its threads when nbthread is not set.
  const haproxyThreads = /multi-threading support \(.*default=(\d+)\)/.exec(spawnSync("/usr/sbin/haproxy", ["-vv"], { encoding: "utf8" }).stdout)?.[1];
  log(`HAProxy at 127.0.0.1:${haproxyPort} (pid ${haproxy.pid})`);

  const samplers = {
    gateway: new UsageSampler(started.child.pid!),
    haproxy: new UsageSampler(haproxy.pid!),
    instances: new UsageSampler(upstreams.child.pid!),
    app: new UsageSampler(meshdeck.child.pid!),
  };
  cleanups.push(() => Object.values(samplers).forEach((s) => s.stop()));
  let stopping = false;
  for (const [name, child] of [
    ["gateway", started.child],
    ["haproxy", haproxy],
    ["Meshdeck", meshdeck.child],
    ["instances", upstreams.child],
  ] as const) {
    child.once("exit", (code, signal) => {
      if (!stopping) log(`${name} (pid ${child.pid}) exited during the run: ${signal ?? code}`);
    });
  }

  // Part A: the same load on each, one after another.
  const targets: { label: TThroughput["label"]; title: string; url: string }[] = [
    { label: "direct", title: "direct to bench-1", url: `http://127.0.0.1:${upstreams.ports[0]}/work` },
    { label: "gateway", title: "Meshdeck gateway", url: `${gatewayUrl}/${service}/work` },
    { label: "haproxy", title: `HAProxy ${haproxyVersion}`, url: `http://127.0.0.1:${haproxyPort}/work` },
  ];
  const runs: TThroughput[] = [];
  for (const t of targets) {
    log(`${t.title}: ${warmupS} s warm-up, then wrk -t${threads} -c${connections} -d${durationS}s ${t.url}`);
    await runWrk(t.url, warmupS, `${t.label}-warmup`);
    // Requests a proxy still forwards after wrk closed its connections land before the count restarts.
    await sleep(300);
    await upstreams.ask({ type: "reset" });
    const from = Date.now();
    const machineBefore = readMachineBusySeconds();
    const psBefore = psTimes();
    const selfBefore = process.cpuUsage();
    const wrk = await runWrk(t.url, durationS, t.label);
    const to = Date.now();
    const machineAfter = readMachineBusySeconds();
    const self = process.cpuUsage(selfBefore);
    const ours = new Set(processTree(process.pid));
    const psAfter = psTimes();
    const { counts } = await upstreams.ask({ type: "counts" });
    const seconds = (to - from) / 1000;
    const cpu = Object.entries(samplers).map(([name, sampler]) => ({ name, cpuPercent: sampler.window(from, to)?.cpuPercent ?? null }));
    cpu.push({ name: "runner", cpuPercent: ((self.user + self.system) / 1e6 / seconds) * 100 });
    const oursPercent = cpu.reduce((sum, c) => sum + (c.cpuPercent ?? 0), 0) + (wrk.cpuPercent ?? 0);
    const machinePercent = ((machineAfter - machineBefore) / seconds) * 100;
    const run: TThroughput = {
      ...t,
      from,
      wrk,
      counts,
      cpu,
      othersCpuPercent: Math.max(0, machinePercent - oursPercent),
      others: heaviestOthers(psBefore, psAfter, seconds, ours),
    };
    runs.push(run);
    const s = shares(counts, weights);
    log(
      `${t.title}: ${wrk.rps.toFixed(0)} requests/s, p50 ${wrk.latencyMs.p50.toFixed(2)} ms, p99 ${wrk.latencyMs.p99.toFixed(2)} ms; counted ${counts.join(" / ")}` +
        (t.label === "direct" ? "" : ` = ${s.measured.map((m) => m.toFixed(2)).join(" / ")} %`) +
        `; machine busy ${machinePercent.toFixed(0)} % of one core, others ${run.othersCpuPercent?.toFixed(0)} %`,
    );
  }

  // Part B: weight changes under a steady stream through the gateway, timed by bench-1's own arrival times.
  // The one line that picks how a weight is changed: the governance API once the built app has it.
  const governanceBuilt = existsSync(join(app.dir, "app", "api", "v1", "governance", "instances", "route.ts"));
  const via: TPropagation["via"] = viaFlag === "registry" || viaFlag === "governance" ? viaFlag : governanceBuilt ? "governance" : "registry";
  const changeWeight = {
    registry: {
      call: "`POST /api/v1/registry/instances` (API token), re-registering bench-1 with the new weight",
      send: (weight: number) => api.post("/api/v1/registry/instances", registration(0, weight)),
      ok: (status: number) => status === 200,
    },
    governance: {
      call: '`POST /api/v1/governance/instances` (admin session), `{"selector":{"service":"bench","ids":["bench-1"]},"change":{"weight":W},"reason":"bench","force":true}`',
      send: (weight: number) =>
        session.post("/api/v1/governance/instances", { selector: { service, ids: [idOf(0)] }, change: { weight }, reason: "bench", force: true }),
      ok: (status: number) => status === 200,
    },
  }[via];
  log(`propagation: ${changeCount} weight changes of ${idOf(0)} through the ${via} API`);

  let pumping = true;
  let pumped = 0;
  let pumpErrors = 0;
  const pumpLoops = Array.from({ length: pumps }, async () => {
    while (pumping) {
      try {
        const answer = await fetch(`${gatewayUrl}/${service}/work`);
        await answer.arrayBuffer();
        if (answer.status !== 200) pumpErrors += 1;
      } catch {
        pumpErrors += 1;
        await sleep(5);
      }
      pumped += 1;
    }
  });
  await upstreams.ask({ type: "watch", index: 0 });
  await sleep(500);
  const partBStart = Date.now();
  const pumpedBefore = pumped;
  const changes = await timeChanges({
    count: changeCount,
    limitMs: seenLimitMs,
    send: async (weight, i) => {
      const answer = await changeWeight.send(weight);
      if (!changeWeight.ok(answer.status)) throw new Error(`change ${i + 1} (weight ${weight}) via ${via}: ${answer.status} ${JSON.stringify(answer.body)}`);
    },
    arrivals: async (since) => (await upstreams.ask({ type: "arrivals", since })).at,
    progress: () => pumped,
  });
  const partBSeconds = (Date.now() - partBStart) / 1000;
  pumping = false;
  await Promise.all(pumpLoops);
  const propagation: TPropagation = { via, call: changeWeight.call, changes, pumps, pumped: pumped - pumpedBefore, pumpErrors, seconds: partBSeconds };
  const f = propagationFigures(propagation);
  log(
    `propagation (${via}): p50 ${f.fromStart.p50?.toFixed(1)} ms, p99 ${f.fromStart.p99?.toFixed(1)} ms from the call's start; call p50 ${f.call.p50?.toFixed(1)} ms; ${f.missed} missed`,
  );

  for (const [name, child] of [
    ["gateway", started.child],
    ["haproxy", haproxy],
  ] as const) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} exited during the run; see ${runDir}`);
  }
  stopping = true;

  if (profile) {
    // Written when the gateway exits. Self time from its measured run on (it also served Part B), the biggest file being the main thread's.
    await stopChild(started.child, "gateway", log);
    const gatewayRun = runs.find((r) => r.label === "gateway");
    const files = existsSync(profileDir) ? readdirSync(profileDir).filter((f) => f.endsWith(".cpuprofile")) : [];
    const top = files
      .map((file) => ({ file, ...profileShares(join(profileDir, file), { limit: 25, skipMs: gatewayRun ? gatewayRun.from - gatewayStarted : 0 }) }))
      .sort((a, b) => b.busyMs - a.busyMs)[0];
    if (top) {
      const lines = (list: { name: string; selfMs: number; share: number }[]) =>
        list.map((t) => `  ${(t.share * 100).toFixed(1).padStart(5)} %  ${t.selfMs.toFixed(0).padStart(7)} ms  ${t.name}`).join("\n");
      const text = `Gateway CPU profile (${top.file}), self time from its measured run to its exit, ${(top.busyMs / 1000).toFixed(1)} s busy:\n\nBy module:\n${lines(top.modules)}\n\nBy function:\n${lines(top.functions)}\n`;
      writeFileSync(join(runDir, "profile-top.txt"), text);
      console.log(`\n${text}`);
    } else log(`no CPU profile found in ${profileDir}`);
  }

  writeFileSync(
    join(runDir, "raw.json"),
    JSON.stringify({ runs, propagation, samples: Object.fromEntries(Object.entries(samplers).map(([k, s]) => [k, s.samples])) }, null, 1),
  );
  const notes: string[] = [];
  for (const r of runs) {
    const socketErrors = r.wrk.errors.connect + r.wrk.errors.read + r.wrk.errors.write + r.wrk.errors.timeout;
    if (socketErrors || r.wrk.errors.status) notes.push(`${r.title}: wrk saw ${socketErrors} socket errors and ${r.wrk.errors.status} non-2xx answers.`);
    const counted = r.counts.reduce((a, b) => a + b, 0);
    if (Math.abs(counted - r.wrk.requests) > connections) notes.push(`${r.title}: the instances counted ${counted} requests, wrk ${r.wrk.requests}.`);
  }
  const busiestOthers = Math.max(...runs.map((r) => r.othersCpuPercent ?? 0));
  const cores = (await import("node:os")).availableParallelism();
  notes.push(
    `wrk (-t${threads}), the instances, the proxy under test and the app all ran on the same ${cores} cores, so wrk's own CPU ` +
      `(${runs.map((r) => `${r.label} ${r.wrk.cpuPercent?.toFixed(0) ?? "n/a"} %`).join(", ")} of one core) competed with what it measured.`,
  );
  if (busiestOthers > 25)
    notes.push(
      `The machine was shared: other processes used up to ${busiestOthers.toFixed(0)} % of one core (of ${cores * 100} %) during a run (see "Other processes" above); figures are noisier than on an idle machine.`,
    );
  const gatewayCpu = runs.find((r) => r.label === "gateway")?.cpu.find((c) => c.name === "gateway")?.cpuPercent ?? 0;
  if (gatewayCpu >= 90)
    notes.push(
      `The gateway was CPU-bound: its one event loop used ${gatewayCpu.toFixed(0)} % of a core, so its requests/s is its single-process ceiling here, whatever the cores left.`,
    );
  if (haproxyThreads && Number(haproxyThreads) > 1)
    notes.push(`HAProxy ran ${haproxyThreads} threads (its default here); the gateway is one Node.js process with one event loop.`);
  if (app.dirty.length)
    notes.push(`The working tree had uncommitted changes to ${app.dirty.length} app paths; the run measured commit ${app.commit.slice(0, 12)} as committed.`);
  const envOverrides = args.filter((a) => a !== "--no-doc");
  const result: TResult = {
    date: new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC",
    command: `npm run bench:gateway${envOverrides.length ? ` -- ${envOverrides.join(" ")}` : ""}`,
    commit: app.commit,
    builtFrom: app.builtFrom,
    dirty: app.dirty,
    haproxyVersion,
    haproxyThreads: haproxyThreads ? `${haproxyThreads} threads (its default, one per CPU)` : "threads at its default",
    wrkVersion,
    threads,
    connections,
    durationS,
    warmupS,
    weights,
    runs,
    propagation,
    notes,
  };
  const verdicts = evaluate(result);
  const missedAny = verdicts.some((t) => !t.met);
  if (missedAny)
    notes.push(
      `Target missed: ${verdicts
        .filter((t) => !t.met)
        .map((t) => t.name)
        .join("; ")}.`,
    );

  console.log(`\n${renderTable(result)}\n\nTargets:\n${renderTargets(result)}\n`);
  if (notes.length) console.log(notes.map((n) => `NOTE: ${n}`).join("\n"));
  if (writeDoc) {
    appendToDoc(join(root, "docs", "benchmarks.md"), renderSection(result));
    log("section appended to docs/benchmarks.md");
  }
  log(missedAny ? "RESULT: at least one target MISSED (see above)" : "RESULT: all targets met");
  return 0;
}

async function shutdown() {
  for (const { child, name, group } of [...children].reverse()) await stopChild(child, name, log, { group });
  for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
}

runBench({ main, shutdown });
