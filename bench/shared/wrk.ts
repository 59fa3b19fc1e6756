// wrk (Debian's) as the benchmarks' load generator: installed on demand, one run at a time, its figures read from
// bench/gateway/wrk-report.lua's JSON line and its own CPU from bash's `times`.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export type TWrk = {
  requests: number;
  durationS: number;
  rps: number;
  errors: { connect: number; read: number; write: number; status: number; timeout: number };
  latencyMs: { mean: number; p50: number; p90: number; p99: number; p999: number; max: number };
  /** wrk's own user + system CPU over the run, % of one core. */
  cpuPercent: number | null;
};

const wrkBin = "/usr/bin/wrk";
// Benchmarks run from the checkout's root (npm run).
const reportScript = join(process.cwd(), "bench", "gateway", "wrk-report.lua");

/** wrk's version line, installing it from Debian first when it is missing. */
export function ensureWrk(log: (message: string) => void): string {
  if (!existsSync(wrkBin)) {
    log("wrk not found: apt-get update && apt-get install -y wrk");
    for (const a of [["update"], ["install", "-y", "wrk"]]) {
      const result = spawnSync("apt-get", a, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
      if (result.status !== 0) throw new Error(`apt-get ${a.join(" ")} failed (exit ${result.status})`);
    }
  }
  return (spawnSync(wrkBin, ["-v"], { encoding: "utf8" }).stdout.split("\n")[0] ?? "wrk")
    .replace(/\s*\[.*$/, "")
    .replace(/ Copyright.*$/, "")
    .trim();
}

type TWrkJson = {
  requests: number;
  durationUs: number;
  errors: TWrk["errors"];
  latencyUs: { mean: number; p50: number; p90: number; p99: number; p999: number; max: number };
};

/** One wrk run; its output is kept in `dir`, its CPU read with bash's `times` once it exits. */
export async function runWrk({
  url,
  seconds,
  label,
  threads,
  connections,
  dir,
  track,
}: {
  url: string;
  seconds: number;
  label: string;
  threads: number;
  connections: number;
  dir: string;
  track: (child: ChildProcess, name: string) => void;
}): Promise<TWrk> {
  const wrkArgs = [`-t${threads}`, `-c${connections}`, `-d${seconds}s`, "--timeout", "5s", "--latency", "-s", reportScript, url];
  const child = spawn("bash", ["-c", '"$0" "$@"; code=$?; times; exit $code', wrkBin, ...wrkArgs], { stdio: ["ignore", "pipe", "pipe"], detached: true });
  track(child, `wrk ${label}`);
  let stdout = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  const code = await new Promise<number | null>((done) => child.once("exit", (c) => done(c)));
  writeFileSync(join(dir, `wrk-${label}.txt`), `wrk ${wrkArgs.join(" ")}\n${stdout}`);
  const line = /^WRK_JSON (.*)$/m.exec(stdout)?.[1];
  if (code !== 0 || !line) throw new Error(`wrk ${label} failed (exit ${code}); see ${join(dir, `wrk-${label}.txt`)}`);
  const json = JSON.parse(line) as TWrkJson;
  // `times`: the shell's user/system, then its children's ("0m1.234s 0m0.567s").
  const lines = stdout.trim().split("\n");
  const toSeconds = (text: string) => {
    const m = /^(\d+)m([\d.]+)s$/.exec(text);
    return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
  };
  const childTimes = (lines.at(-1) ?? "").trim().split(/\s+/).map(toSeconds);
  const runSeconds = json.durationUs / 1e6;
  const cpu = childTimes.length === 2 && childTimes.every(Number.isFinite) ? ((childTimes[0]! + childTimes[1]!) / runSeconds) * 100 : null;
  const toMs = (us: number) => us / 1000;
  return {
    requests: json.requests,
    durationS: runSeconds,
    rps: json.requests / runSeconds,
    errors: json.errors,
    latencyMs: {
      mean: toMs(json.latencyUs.mean),
      p50: toMs(json.latencyUs.p50),
      p90: toMs(json.latencyUs.p90),
      p99: toMs(json.latencyUs.p99),
      p999: toMs(json.latencyUs.p999),
      max: toMs(json.latencyUs.max),
    },
    cpuPercent: cpu,
  };
}

type TPsTimes = Map<number, { seconds: number; name: string }>;

/** Cumulative CPU seconds of every process by pid, from ps (whole seconds), to name who else used the machine. */
export function psTimes(): TPsTimes {
  const out = spawnSync("ps", ["-eo", "pid=,times=,args="], { encoding: "utf8" }).stdout;
  const map: TPsTimes = new Map();
  for (const line of out.split("\n")) {
    const match = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line);
    if (match) map.set(Number(match[1]), { seconds: Number(match[2]), name: match[3]!.slice(0, 100) });
  }
  return map;
}

/** The processes not ours that used at least 5 % of one core between two `psTimes`, heaviest first. */
export function heaviestOthers(before: TPsTimes, after: TPsTimes, seconds: number, ours: Set<number>) {
  const used: { name: string; cpuPercent: number }[] = [];
  for (const [pid, end] of after) {
    if (ours.has(pid)) continue;
    const cpu = end.seconds - (before.get(pid)?.seconds ?? 0);
    if (cpu > 0) used.push({ name: end.name, cpuPercent: (cpu / seconds) * 100 });
  }
  return used
    .filter((u) => u.cpuPercent >= 5)
    .sort((a, b) => b.cpuPercent - a.cpuPercent)
    .slice(0, 4);
}
