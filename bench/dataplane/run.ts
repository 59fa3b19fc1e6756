// `npm run bench:dataplane [-- --duration S] [-- --warmup S] [-- --connections N] [-- --threads N] [-- --changes N]
// [-- --rate N] [-- --no-doc]`: the issue 18 benchmark. The same 4 instances (weights 1:2:3:4) behind HAProxy with a
// static configuration, HAProxy driven by Meshdeck (Runtime API), nginx driven by Meshdeck (rendered upstreams,
// reloads) and the built-in gateway: wrk through each (requests/s, p99, each instance's own count), then for each
// driven one 100 weight changes by the governance API under a constant stream, timed by the instance's own arrivals,
// counting dropped requests; a section in docs/benchmarks.md. Defaults: -t2 -c64, 20 s after a 3 s warm-up,
// 100 changes at 400 requests/s (about 8 minutes, plus a build of the commit the first time).
import { fork, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { spawnGateway } from "../../lib/gateway/spawn-gateway";
import { startNginx } from "../../tests/support/nginx";
import { prepareApp, startSignedIn } from "../gateway/app";
import { ensureHaproxy, startHaproxy, writeHaproxyConfig } from "../gateway/haproxy";
import { propagationFigures, shares } from "../gateway/report";
import type { TUpstreamsMessage, TUpstreamsReport } from "../gateway/upstreams";
import { flag } from "../shared/args";
import { processTree, readMachineBusySeconds, UsageSampler } from "../shared/proc";
import { askingChild, freePort, runBench, sleep, stopChild, waitFor } from "../shared/process";
import { timeChanges } from "../shared/propagation";
import { appendToDoc } from "../shared/report";
import { ensureWrk, heaviestOthers, psTimes, runWrk } from "../shared/wrk";
import { evaluate, renderPropagation, renderSection, renderThroughput, type TChangeRun, type TPlaneLabel, type TResult, type TRun } from "./report";
import { ConstantStream } from "./stream";

const args = process.argv.slice(2);
const durationS = Number(flag(args, "duration", "20"));
const warmupS = Number(flag(args, "warmup", "3"));
const connections = Number(flag(args, "connections", "64"));
// wrk competes with what it measures for the same 2 cores: at most 2 threads.
const threads = Math.min(2, Number(flag(args, "threads", "2")));
const changeCount = Number(flag(args, "changes", "100"));
// bench-1 (weight 1 of 10) then sees a request every 25 ms: the resolution of the propagation figures.
const rate = Number(flag(args, "rate", "400"));
const writeDoc = !args.includes("--no-doc");
const weights = [1, 2, 3, 4];
const service = "bench";
const idOf = (index: number) => `bench-${index + 1}`;

const root = process.cwd();
const runDir = resolve(root, ".tmp", "bench", `dataplane-${new Date().toISOString().replace(/[:.]/g, "-")}`);
const children: { child: ChildProcess; name: string; group: boolean }[] = [];
const cleanups: (() => Promise<void> | void)[] = [];

function log(message: string) {
  console.log(`${new Date().toISOString()} bench:dataplane ${message}`);
}

function track(child: ChildProcess, name: string, group: boolean) {
  children.push({ child, name, group });
  writeFileSync(join(runDir, "pids.txt"), children.map((c) => `${c.child.pid} ${c.name}${c.group ? " (process group)" : ""}`).join("\n") + "\n");
  return child;
}

async function main() {
  mkdirSync(runDir, { recursive: true });
  log(`run directory ${runDir}`);
  const versions = {
    haproxy: ensureHaproxy(),
    wrk: ensureWrk(log),
    nginx: (
      spawnSync("/usr/sbin/nginx", ["-v"], { encoding: "utf8" })
        .stderr.trim()
        .replace(/^nginx version: /, "") || "nginx"
    ).replace("/", " "),
  };

  const app = prepareApp({ root, logFile: join(runDir, "build.log"), log });
  log(
    app.built
      ? `built commit ${app.commit.slice(0, 12)} in ${app.buildSeconds!.toFixed(0)} s`
      : `commit ${app.commit.slice(0, 12)} is built already in ${app.dir}`,
  );

  const upstreamsChild = fork(join(root, "bench", "gateway", "upstreams.ts"), [], {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, BENCH_UPSTREAMS: String(weights.length) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    detached: true,
  });
  track(upstreamsChild, "instances", true);
  const { ask, ready } = await askingChild<TUpstreamsMessage, TUpstreamsReport>(upstreamsChild, "instances");
  const ports = ready.ports;
  log(`${weights.length} instances on ports ${ports.join(", ")}`);

  // nginx first: the app is told where it includes upstreams and how to test and reload it.
  const nginx = await startNginx();
  cleanups.push(() => nginx.stop());
  const nginxPid = Number(readFileSync(join(nginx.dir, "nginx.pid"), "utf8").trim());
  process.env.MESHDECK_NGINX_DIR = nginx.includeDir;
  process.env.MESHDECK_NGINX_CONF = nginx.config;
  log(`nginx at ${nginx.url} (master pid ${nginxPid})`);

  const { meshdeck, session, api, token } = await startSignedIn({ dir: app.dir, runDir, tokenName: "bench-dataplane" });
  track(meshdeck.child, "meshdeck (server.mjs)", true);
  log(`Meshdeck at ${meshdeck.baseUrl} (log ${join(runDir, "app.log")})`);

  // A TTL of an hour: passing from registration on, no probes during the run.
  for (const [index, weight] of weights.entries()) {
    const body = { service, id: idOf(index), host: "127.0.0.1", port: ports[index]!, weight, check: { kind: "ttl", ttl: "1h" }, metrics: null };
    const answer = await api.post("/api/v1/registry/instances", body);
    if (answer.status !== 201 && answer.status !== 200) throw new Error(`registering ${idOf(index)}: ${answer.status} ${JSON.stringify(answer.body)}`);
  }

  const started = spawnGateway({
    cwd: app.dir,
    env: {
      PATH: process.env.PATH,
      MESHDECK_URL: meshdeck.baseUrl,
      MESHDECK_TOKEN: token,
      MESHDECK_HOST: "127.0.0.1",
      MESHDECK_GATEWAY_PORT: "0",
      MESHDECK_LOG_LEVEL: "warn",
    },
    output: "ignore",
  });
  track(started.child, "gateway", false);
  const gatewayUrl = await started.listening;
  if (!gatewayUrl) throw new Error("the gateway did not start");

  const haproxies = { static: join(runDir, "haproxy-static"), driven: join(runDir, "haproxy-driven") };
  const haproxyPorts = { static: await freePort(), driven: await freePort() };
  const pids: Record<TPlaneLabel, number> = { "haproxy-static": 0, "haproxy-driven": 0, "nginx-driven": nginxPid, gateway: started.child.pid! };
  for (const kind of ["static", "driven"] as const) {
    mkdirSync(haproxies[kind]);
    // The driven one's backend starts with no server: Meshdeck adds them.
    const upstreams = kind === "static" ? ports.map((port, i) => ({ port, weight: weights[i]! })) : [];
    const { file } = writeHaproxyConfig({ dir: haproxies[kind], port: haproxyPorts[kind], upstreams });
    const child = track(startHaproxy({ file, dir: haproxies[kind] }), `haproxy ${kind}`, false);
    pids[`haproxy-${kind}`] = child.pid!;
  }

  // The data planes, as an administrator adds them.
  const planes = {
    "haproxy-driven": { name: "bench-haproxy", kind: "haproxy", address: join(haproxies.driven, "haproxy.sock"), backends: null, healthMode: "meshdeck" },
    "nginx-driven": { name: "bench-nginx", kind: "nginx", address: "bench.conf", backends: null, healthMode: "meshdeck" },
  } as const;
  for (const plane of Object.values(planes)) {
    const answer = await session.post("/api/v1/dataplanes", { ...plane, enabled: true });
    if (answer.status !== 201) throw new Error(`adding data plane ${plane.name}: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  const setEnabled = async (label: keyof typeof planes, enabled: boolean) => {
    const answer = await session.put(`/api/v1/dataplanes/${planes[label].name}`, { ...planes[label], enabled });
    if (answer.status !== 200) throw new Error(`${enabled ? "enabling" : "disabling"} ${planes[label].name}: ${answer.status} ${JSON.stringify(answer.body)}`);
  };

  const urls: Record<TPlaneLabel, string> = {
    "haproxy-static": `http://127.0.0.1:${haproxyPorts.static}/work`,
    "haproxy-driven": `http://127.0.0.1:${haproxyPorts.driven}/work`,
    "nginx-driven": `${nginx.url}/${service}/work`,
    gateway: `${gatewayUrl}/${service}/work`,
  };
  const titles: Record<TPlaneLabel, string> = {
    "haproxy-static": `HAProxy ${versions.haproxy}, static`,
    "haproxy-driven": "HAProxy driven by Meshdeck",
    "nginx-driven": "nginx driven by Meshdeck",
    gateway: "Meshdeck gateway",
  };
  /** Routing to every instance: 40 requests through it reach all 4. */
  const routesToAll = (label: TPlaneLabel) =>
    waitFor(
      `${titles[label]} routing to all ${weights.length} instances`,
      30_000,
      async () => {
        await ask({ type: "reset" });
        for (let k = 0; k < 40; k++) await (await fetch(urls[label])).arrayBuffer();
        return (await ask({ type: "counts" })).counts.every((n) => n > 0) ? true : null;
      },
      250,
    );
  for (const label of Object.keys(urls) as TPlaneLabel[]) await routesToAll(label);
  log(`all four route to the ${weights.length} instances`);

  const samplers = Object.fromEntries(
    [...Object.entries(pids), ["app", meshdeck.child.pid!]].map(([name, pid]) => [name, new UsageSampler(pid as number)]),
  ) as Record<TPlaneLabel | "app", UsageSampler>;
  cleanups.push(() => Object.values(samplers).forEach((s) => s.stop()));

  // Part A: the same load through each, one after another.
  const runs: TRun[] = [];
  for (const label of Object.keys(urls) as TPlaneLabel[]) {
    const wrkRun = (seconds: number, name: string) =>
      runWrk({ url: urls[label], seconds, label: name, threads, connections, dir: runDir, track: (child, n) => track(child, n, true) });
    log(`${titles[label]}: ${warmupS} s warm-up, then wrk -t${threads} -c${connections} -d${durationS}s ${urls[label]}`);
    await wrkRun(warmupS, `${label}-warmup`);
    await sleep(300);
    await ask({ type: "reset" });
    const from = Date.now();
    const [machineBefore, psBefore] = [readMachineBusySeconds(), psTimes()];
    const wrk = await wrkRun(durationS, label);
    const to = Date.now();
    const seconds = (to - from) / 1000;
    const machinePercent = ((readMachineBusySeconds() - machineBefore) / seconds) * 100;
    const { counts } = await ask({ type: "counts" });
    const cpuOf = (name: TPlaneLabel | "app") => samplers[name].window(from, to)?.cpuPercent ?? null;
    const ours = Object.keys(samplers).reduce((sum, name) => sum + (cpuOf(name as TPlaneLabel) ?? 0), 0) + (wrk.cpuPercent ?? 0);
    runs.push({
      label,
      title: titles[label],
      url: urls[label],
      wrk,
      counts,
      cpu: { proxy: cpuOf(label), app: cpuOf("app"), others: Math.max(0, machinePercent - ours) },
      others: heaviestOthers(psBefore, psTimes(), seconds, new Set(processTree(process.pid))),
    });
    const s = shares(counts, weights);
    log(
      `${titles[label]}: ${wrk.rps.toFixed(0)} requests/s, p50 ${wrk.latencyMs.p50.toFixed(2)} ms, p99 ${wrk.latencyMs.p99.toFixed(2)} ms; shares ${s.measured.map((m) => m.toFixed(2)).join(" / ")} %`,
    );
  }

  // Part B: for each driven data plane alone, weight changes under a constant stream.
  const call =
    '`POST /api/v1/governance/instances` (admin session) `{"selector":{"service":"bench","ids":["bench-1"]},"change":{"weight":W},"reason":"bench","force":true}`';
  const propagation: TChangeRun[] = [];
  for (const label of ["haproxy-driven", "nginx-driven", "gateway"] as const) {
    for (const other of Object.keys(planes) as (keyof typeof planes)[]) await setEnabled(other, other === label);
    if (label !== "gateway")
      await waitFor(`${planes[label].name} connected`, 15_000, async () => {
        const answer = await session.get(`/api/v1/dataplanes/${planes[label].name}`);
        return (answer.body as { dataPlane?: { status: string } }).dataPlane?.status === "connected" ? true : null;
      });
    await routesToAll(label);
    log(`${titles[label]}: ${changeCount} weight changes of ${idOf(0)} under ${rate} requests/s`);
    await ask({ type: "watch", index: 0 });
    const stream = new ConstantStream(urls[label], rate);
    stream.start();
    await sleep(1000);
    const startedAt = Date.now();
    const changes = await timeChanges({
      count: changeCount,
      send: async (weight, i) => {
        const answer = await session.post("/api/v1/governance/instances", {
          selector: { service, ids: [idOf(0)] },
          change: { weight },
          reason: "bench",
          force: true,
        });
        if (answer.status !== 200) throw new Error(`change ${i + 1} (weight ${weight}): ${answer.status} ${JSON.stringify(answer.body)}`);
      },
      arrivals: async (since) => (await ask({ type: "arrivals", since })).at,
      progress: () => stream.completed,
    });
    const seconds = (Date.now() - startedAt) / 1000;
    // Requests in flight when the last change landed still count: the stream runs a second past it.
    await sleep(1000);
    const figures = await stream.stop();
    propagation.push({ label, title: titles[label], changes, stream: figures, seconds });
    const f = propagationFigures({ changes });
    log(
      `${titles[label]}: p50 ${f.fromStart.p50?.toFixed(1)} ms, p99 ${f.fromStart.p99?.toFixed(1)} ms, ${f.missed} missed; ${figures.dropped} of ${figures.sent} dropped`,
    );
  }

  for (const { child, name } of children)
    if (name !== "instances" && !name.startsWith("wrk") && (child.exitCode !== null || child.signalCode !== null))
      throw new Error(`${name} exited during the run; see ${runDir}`);

  writeFileSync(join(runDir, "raw.json"), JSON.stringify({ runs, propagation }, null, 1));
  const notes: string[] = [];
  for (const r of runs) {
    const socket = r.wrk.errors.connect + r.wrk.errors.read + r.wrk.errors.write + r.wrk.errors.timeout;
    if (socket || r.wrk.errors.status) notes.push(`${r.title}: wrk saw ${socket} socket errors and ${r.wrk.errors.status} non-2xx answers.`);
  }
  const busiest = Math.max(...runs.map((r) => r.cpu.others ?? 0));
  if (busiest > 25)
    notes.push(
      `The machine was shared: other processes used up to ${busiest.toFixed(0)} % of one core during a throughput run; figures are noisier than on an idle machine.`,
    );
  if (app.dirty.length)
    notes.push(`The working tree had uncommitted changes to ${app.dirty.length} app paths; the run measured commit ${app.commit.slice(0, 12)}.`);
  const overrides = args.filter((a) => a !== "--no-doc");
  const result: TResult = {
    date: new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC",
    command: `npm run bench:dataplane${overrides.length ? ` -- ${overrides.join(" ")}` : ""}`,
    commit: app.commit,
    builtFrom: app.builtFrom,
    dirty: app.dirty,
    versions,
    threads,
    connections,
    durationS,
    warmupS,
    rate,
    weights,
    call,
    runs,
    propagation,
    notes,
  };
  const verdicts = evaluate(result);
  const missed = verdicts.filter((t) => !t.met);
  if (missed.length) notes.push(`Target missed: ${missed.map((t) => t.name).join("; ")}.`);
  console.log(`\n${renderThroughput(result)}\n\n${renderPropagation(result)}\n`);
  console.log(verdicts.map((t) => `${t.met ? "MET" : "MISSED"}: ${t.name}: ${t.value}`).join("\n"));
  if (writeDoc) {
    appendToDoc(join(root, "docs", "benchmarks.md"), renderSection(result));
    log("section appended to docs/benchmarks.md");
  }
  log(missed.length ? "RESULT: at least one target MISSED (see above)" : "RESULT: all targets met");
  return 0;
}

async function shutdown() {
  for (const { child, name, group } of [...children].reverse()) await stopChild(child, name, log, { group });
  for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
}

runBench({ main, shutdown });
