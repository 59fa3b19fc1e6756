// `npm run bench:compat [-- --instances N] [--hold SECONDS] [--quick] [--no-doc]`: the registry protocols (issue 16).
// One app per phase (SQLite, a fresh database, the Consul, Eureka and Nacos APIs on free ports) takes N instances
// through one protocol, 32 registrations at a time, then holds them for a window with renewals at the protocol's
// default interval, while its CPU and RSS are read from /proc. Each protocol is compared with the native API sent the
// same load at the same cadence in the same run. Writes the "## Registry protocols" section of docs/benchmarks.md
// unless --quick or --no-doc.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { adminAndToken } from "@/tests/support/client";
import { startApp } from "@/tests/support/start-app";
import { flag } from "../shared/args";
import { UsageSampler } from "../shared/proc";
import { freePort, runBench } from "../shared/process";
import { replaceInDoc } from "../shared/report";
import { holdFleet, registerFleet } from "./load";
import { clientFor } from "./protocols";
import { docHeading, renderSection, type TPhase, type TPhaseResult } from "./report";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const writeDoc = !quick && !args.includes("--no-doc");
const instances = Number(flag(args, "instances", quick ? "200" : "1000"));
const holdSeconds = Number(flag(args, "hold", quick ? "15" : "60"));
if (!(instances >= 10 && holdSeconds >= 5)) throw new Error("need --instances >= 10 and --hold >= 5");
const concurrency = 32;

// Consul: a 10 s TTL check passed every 5 s (half the TTL, as Consul clients do); Nacos: a beat every 5 s; Eureka: a
// renewal every 30 s (its default). Native runs twice, at 5 s and at 30 s, so each protocol has its like.
const phases: TPhase[] = [
  { name: "native, 5 s", protocol: "native", everyMs: 5000, ttlS: 10 },
  { name: "Consul", protocol: "consul", everyMs: 5000, ttlS: 10, against: "native, 5 s" },
  { name: "Nacos", protocol: "nacos", everyMs: 5000, ttlS: 15, against: "native, 5 s" },
  { name: "native, 30 s", protocol: "native", everyMs: 30_000, ttlS: 90 },
  { name: "Eureka", protocol: "eureka", everyMs: 30_000, ttlS: 90, against: "native, 30 s" },
];

const root = process.cwd();
const runDir = resolve(root, ".tmp", "bench", `compat-${new Date().toISOString().replace(/[:.]/g, "-")}`);
const cleanups = new Set<() => Promise<void> | void>();
const log = (message: string) => console.log(`${new Date().toISOString()} bench:compat ${message}`);
const admin = { email: "admin@meshdeck.bench", password: randomBytes(12).toString("base64url") };

/** Instances in the catalog and how many of them pass, from the native API, once the window is over. */
async function catalogCounts(baseUrl: string, token: string) {
  const response = await fetch(`${baseUrl}/api/v1/services`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(30_000) });
  const { services } = (await response.json()) as { services: { instances: { total: number; passing: number } }[] };
  return services.reduce((sum, s) => ({ total: sum.total + s.instances.total, passing: sum.passing + s.instances.passing }), { total: 0, passing: 0 });
}

async function measurePhase(phase: TPhase): Promise<TPhaseResult> {
  const slug = phase.name.replace(/[^a-z0-9]+/gi, "-").toLowerCase();
  const [consulPort, eurekaPort, nacosPort] = [await freePort(), await freePort(), await freePort()];
  const app = await startApp({
    name: `compat-${slug}`,
    port: await freePort(),
    databaseUrl: `file:${join(runDir, `${slug}.db`)}`,
    admin,
    env: { NODE_ENV: "production", MESHDECK_CONSUL_PORT: String(consulPort), MESHDECK_EUREKA_PORT: String(eurekaPort), MESHDECK_NACOS_PORT: String(nacosPort) },
  });
  cleanups.add(app.stop);
  const sampler = new UsageSampler(app.pid!);
  try {
    const { token } = await adminAndToken(app.target, `bench-${slug}`);
    const endpoints = {
      app: app.target.baseUrl,
      consul: `http://127.0.0.1:${consulPort}`,
      eureka: `http://127.0.0.1:${eurekaPort}/eureka`,
      nacos: `http://127.0.0.1:${nacosPort}/nacos/v1`,
      token,
    };
    const client = clientFor(phase.protocol, endpoints, { connections: concurrency, ttlS: phase.ttlS });
    const registerFrom = sampler.sample().at;
    const register = await registerFleet(client, instances, concurrency);
    const registerTo = sampler.sample().at;
    log(`${phase.name}: ${register.ok}/${instances} registered in ${register.seconds.toFixed(1)} s`);
    const holdFrom = sampler.sample().at;
    const renewals = await holdFleet(client, instances, phase.everyMs, holdSeconds);
    const holdTo = sampler.sample().at;
    await client.close();
    const counts = await catalogCounts(app.target.baseUrl, token);
    log(`${phase.name}: ${renewals.ok} renewals ok, ${renewals.failed} failed; catalog ${counts.passing}/${counts.total} passing`);
    const hold = sampler.window(holdFrom, holdTo);
    return {
      phase,
      register,
      registerCpuPercent: sampler.window(registerFrom, registerTo)?.cpuPercent ?? null,
      renewals,
      holdCpuPercent: hold?.cpuPercent ?? null,
      holdRssMb: hold ? hold.peakRss / 2 ** 20 : null,
      catalog: counts,
    };
  } finally {
    sampler.stop();
    await app.stop();
    cleanups.delete(app.stop);
  }
}

async function main(): Promise<number> {
  mkdirSync(runDir, { recursive: true });
  mkdirSync(join(root, ".tmp", "integration"), { recursive: true });
  log(`run directory ${runDir}; ${instances} instances per phase, ${concurrency} at a time, hold ${holdSeconds} s`);
  const prepare = spawnSync("bash", ["scripts/prepare.sh"], { cwd: root, stdio: "inherit" });
  if (prepare.status !== 0) throw new Error("scripts/prepare.sh failed");
  const results: TPhaseResult[] = [];
  for (const phase of phases) {
    log(`${phase.name}: started`);
    results.push(await measurePhase(phase));
  }
  const section = renderSection({
    date: new Date().toISOString(),
    command: `npm run bench:compat${args.length ? ` -- ${args.join(" ")}` : ""}`,
    commit: spawnSync("git", ["rev-parse", "HEAD"], { cwd: root, encoding: "utf8" }).stdout.trim(),
    instances,
    concurrency,
    holdSeconds,
    results,
  });
  console.log(`\n${section}`);
  if (writeDoc) {
    replaceInDoc(join(root, "docs", "benchmarks.md"), docHeading, section);
    spawnSync(join(root, "node_modules", ".bin", "prettier"), ["--write", "--log-level", "warn", "docs/benchmarks.md"], { cwd: root, stdio: "inherit" });
    log(`"${docHeading}" section written to docs/benchmarks.md`);
  }
  // Sanity only: every registration answered 2xx.
  const short = results.filter((r) => r.register.ok !== instances);
  log(`RESULT: ${short.length === 0 ? "every registration answered 2xx" : `registrations refused in ${short.map((r) => r.phase.name).join(", ")}`}`);
  return short.length === 0 ? 0 : 1;
}

runBench({
  main,
  shutdown: async () => {
    for (const cleanup of [...cleanups].reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
  },
});
