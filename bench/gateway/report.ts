// Figures, targets and the docs/benchmarks.md section for the gateway benchmark.
import { machine, percentile, markdownTable, renderTargetList } from "../shared/report";
import type { TChange } from "../shared/propagation";
import type { TWrk } from "../shared/wrk";

export type { TChange, TWrk };

export type TCpu = { name: string; cpuPercent: number | null };

export type TThroughput = {
  label: "direct" | "gateway" | "haproxy";
  title: string;
  url: string;
  /** When the measured run started (epoch ms). */
  from: number;
  wrk: TWrk;
  /** Requests each instance counted itself over the measured run, in instance order. */
  counts: number[];
  cpu: TCpu[];
  /** Everything else on the machine over the run, % of one core, and the heaviest of it by name. */
  othersCpuPercent: number | null;
  others: { name: string; cpuPercent: number }[];
};

export type TPropagation = {
  via: "registry" | "governance";
  call: string;
  changes: TChange[];
  pumps: number;
  pumped: number;
  pumpErrors: number;
  seconds: number;
};

export type TResult = {
  date: string;
  command: string;
  commit: string;
  /** The commit whose build was used: another one with the same app sources when an earlier run built it. */
  builtFrom: string;
  dirty: string[];
  haproxyVersion: string;
  haproxyThreads: string;
  wrkVersion: string;
  threads: number;
  connections: number;
  durationS: number;
  warmupS: number;
  weights: number[];
  runs: TThroughput[];
  propagation: TPropagation | null;
  notes: string[];
};

const ms = (value: number | null | undefined, digits = 0) => (value === null || value === undefined ? "n/a" : `${value.toFixed(digits)} ms`);
const lat = (value: number) => (value < 10 ? `${value.toFixed(2)} ms` : `${value.toFixed(1)} ms`);
const pct = (value: number | null | undefined) => (value === null || value === undefined ? "n/a" : `${value.toFixed(0)} %`);
const ratio = (a: number | null | undefined, b: number | null | undefined) => (a == null || b == null || b === 0 ? null : a / b);
const x = (value: number | null) => (value === null ? "n/a" : `${value.toFixed(2)}x`);

/** Each instance's share of what it counted, and the largest gap to its weight's share, in percentage points. */
export function shares(counts: number[], weights: number[]) {
  const total = counts.reduce((sum, n) => sum + n, 0);
  const weightSum = weights.reduce((sum, w) => sum + w, 0);
  const measured = counts.map((n) => (total ? (100 * n) / total : 0));
  const expected = weights.map((w) => (100 * w) / weightSum);
  const maxGapPp = Math.max(...measured.map((s, i) => Math.abs(s - expected[i]!)));
  return { total, measured, expected, maxGapPp };
}

function run(result: TResult, label: TThroughput["label"]) {
  return result.runs.find((r) => r.label === label);
}

export function propagationFigures(p: { changes: TChange[] }) {
  const done = p.changes.filter((c) => !c.missed);
  const fromStart = done.map((c) => c.fromStartMs!);
  const fromAnswer = done.map((c) => Math.max(0, c.fromAnswerMs!));
  const ins = done.filter((c) => c.weight > 0).map((c) => c.fromStartMs!);
  const outs = done.filter((c) => c.weight === 0).map((c) => c.fromStartMs!);
  const calls = p.changes.map((c) => c.callMs);
  return {
    done: done.length,
    missed: p.changes.length - done.length,
    stalled: p.changes.filter((c) => c.streamStalled).length,
    beforeAnswer: done.filter((c) => c.fromAnswerMs! <= 0).length,
    fromStart: { p50: percentile(fromStart, 50), p99: percentile(fromStart, 99), max: fromStart.length ? Math.max(...fromStart) : null },
    fromAnswer: { p50: percentile(fromAnswer, 50), p99: percentile(fromAnswer, 99) },
    ins: { n: ins.length, p50: percentile(ins, 50), p99: percentile(ins, 99) },
    outs: { n: outs.length, p50: percentile(outs, 50), p99: percentile(outs, 99) },
    call: { p50: percentile(calls, 50), p99: percentile(calls, 99) },
  };
}

export function evaluate(result: TResult) {
  const targets: { name: string; value: string; met: boolean }[] = [];
  for (const label of ["gateway", "haproxy"] as const) {
    const r = run(result, label);
    if (!r) continue;
    const s = shares(r.counts, result.weights);
    targets.push({
      name: `${r.title}: each instance's own count within 1 percentage point of its weight's share (${result.weights.join(":")})`,
      value: `${s.measured.map((m) => `${m.toFixed(2)} %`).join(" / ")} (largest gap ${s.maxGapPp.toFixed(2)} pp)`,
      met: s.total > 0 && s.maxGapPp <= 1,
    });
  }
  const p = result.propagation;
  if (p) {
    const f = propagationFigures(p);
    targets.push({
      name: `weight change -> routing p99 < 1 s over ${p.changes.length} changes (${p.via}; Nacos promises 3 s)`,
      value: f.missed ? `${f.missed} of ${p.changes.length} changes not seen within 3 s` : `p99 ${ms(f.fromStart.p99)} (p50 ${ms(f.fromStart.p50)})`,
      met: f.missed === 0 && f.fromStart.p99 !== null && f.fromStart.p99 < 1000,
    });
  }
  return targets;
}

export function renderTable(result: TResult): string {
  const [direct, gateway, haproxy] = (["direct", "gateway", "haproxy"] as const).map((label) => run(result, label));
  const cols = [direct, gateway, haproxy];
  const cell = (f: (r: TThroughput) => string) => cols.map((r) => (r ? f(r) : "n/a"));
  const errors = (w: TWrk) => {
    const socket = w.errors.connect + w.errors.read + w.errors.write + w.errors.timeout;
    return `${socket} / ${w.errors.status}`;
  };
  const shareCell = (r: TThroughput) => {
    if (r.label === "direct") return `${r.counts.reduce((a, b) => a + b, 0)} on one instance`;
    const s = shares(r.counts, result.weights);
    return `${r.counts.join(" / ")} = ${s.measured.map((m) => m.toFixed(2)).join(" / ")} %`;
  };
  const cpuOf = (r: TThroughput, name: string) => pct(r.cpu.find((c) => c.name === name)?.cpuPercent);
  const rows = [
    ["requests/s", ...cell((r) => r.wrk.rps.toFixed(0)), x(ratio(gateway?.wrk.rps, haproxy?.wrk.rps)), x(ratio(gateway?.wrk.rps, direct?.wrk.rps))],
    [
      "latency p50",
      ...cell((r) => lat(r.wrk.latencyMs.p50)),
      x(ratio(gateway?.wrk.latencyMs.p50, haproxy?.wrk.latencyMs.p50)),
      x(ratio(gateway?.wrk.latencyMs.p50, direct?.wrk.latencyMs.p50)),
    ],
    [
      "latency p99",
      ...cell((r) => lat(r.wrk.latencyMs.p99)),
      x(ratio(gateway?.wrk.latencyMs.p99, haproxy?.wrk.latencyMs.p99)),
      x(ratio(gateway?.wrk.latencyMs.p99, direct?.wrk.latencyMs.p99)),
    ],
    ["latency p99.9 / max", ...cell((r) => `${lat(r.wrk.latencyMs.p999)} / ${lat(r.wrk.latencyMs.max)}`), "", ""],
    [`requests in ${result.durationS} s (wrk)`, ...cell((r) => String(r.wrk.requests)), "", ""],
    ["wrk socket errors / non-2xx", ...cell((r) => errors(r.wrk)), "", ""],
    [`counted by the instances bench-1..${result.weights.length} (weights ${result.weights.join(":")})`, ...cell(shareCell), "", ""],
    [
      "CPU, % of one core: gateway / HAProxy",
      "",
      gateway ? cpuOf(gateway, "gateway") : "n/a",
      haproxy ? cpuOf(haproxy, "haproxy") : "n/a",
      x(ratio(gateway?.cpu.find((c) => c.name === "gateway")?.cpuPercent, haproxy?.cpu.find((c) => c.name === "haproxy")?.cpuPercent)),
      "",
    ],
    ["CPU: instances (one process)", ...cell((r) => cpuOf(r, "instances")), "", ""],
    ["CPU: wrk", ...cell((r) => pct(r.wrk.cpuPercent)), "", ""],
    ["CPU: Meshdeck app (server.mjs)", ...cell((r) => cpuOf(r, "app")), "", ""],
    ["CPU: everything else on the machine", ...cell((r) => pct(r.othersCpuPercent)), "", ""],
  ];
  return markdownTable(["", "direct to one instance", "Meshdeck gateway", `HAProxy ${result.haproxyVersion}`, "gateway / HAProxy", "gateway / direct"], rows);
}

export function renderTargets(result: TResult): string {
  return renderTargetList(evaluate(result));
}

export function renderPropagation(p: TPropagation | null): string {
  if (!p) return "- Propagation: not run.";
  const f = propagationFigures(p);
  return `- Propagation (${p.via === "governance" ? "governance API" : "re-registration"}: ${p.call}): ${p.changes.length} changes of bench-1's weight,
  alternately 0 and 1, under a steady stream of requests through the gateway (${p.pumps} client loops, one request at a time each:
  ${p.pumped} requests in ${p.seconds.toFixed(1)} s, ${p.pumpErrors} not 200). Each change is timed from the start of the call
  by bench-1's own arrival times: to its first request after it is put back (weight 1), to its last request after it is taken out
  (weight 0; then at least 300 ms watched, the last 200 ms with nothing arriving).
  From the call's start: p50 ${ms(f.fromStart.p50, 1)}, p99 ${ms(f.fromStart.p99, 1)}, max ${ms(f.fromStart.max, 1)}
  (put back: p50 ${ms(f.ins.p50, 1)}, p99 ${ms(f.ins.p99, 1)} over ${f.ins.n}; taken out: p50 ${ms(f.outs.p50, 1)}, p99 ${ms(f.outs.p99, 1)} over ${f.outs.n}).
  The call itself took p50 ${ms(f.call.p50, 1)}, p99 ${ms(f.call.p99, 1)}; from its answer (the change accepted) to routing: p50 ${ms(f.fromAnswer.p50, 1)},
  p99 ${ms(f.fromAnswer.p99, 1)}, ${f.beforeAnswer} of ${f.done} already routed by the new weights before the answer reached the client.${f.missed ? `\n  ${f.missed} changes not seen within 3 s.` : ""}${f.stalled ? `\n  ${f.stalled} windows had no request complete in them (stream stalled).` : ""}`;
}

export function renderSection(result: TResult): string {
  const m = machine();
  const [gateway, haproxy] = [run(result, "gateway"), run(result, "haproxy")];
  const gatewayCpu = gateway?.cpu.find((c) => c.name === "gateway")?.cpuPercent ?? null;
  const haproxyCpu = haproxy?.cpu.find((c) => c.name === "haproxy")?.cpuPercent ?? null;
  const perCore = (r: TThroughput | undefined, cpu: number | null) => (r && cpu ? ((r.wrk.rps / cpu) * 100).toFixed(0) : "n/a");
  return `## Gateway: throughput and propagation, Meshdeck gateway vs HAProxy (${result.date}, SQLite)

- Machine: ${m.nproc} CPUs (\`nproc\`), ${m.model}, ${m.memoryGiB.toFixed(1)} GiB memory, Linux ${m.kernel}, Node ${m.node}, HAProxy ${result.haproxyVersion}, ${result.wrkVersion}.
- Command: \`${result.command}\`, commit ${result.commit.slice(0, 12)} (built by the benchmark in a directory of its own${result.builtFrom !== result.commit ? ` from ${result.builtFrom.slice(0, 12)}, whose app sources are the same` : ""}${result.dirty.length ? `; the working tree's ${result.dirty.length} uncommitted changes to the app were not measured` : ""}).
- Setup: ${result.weights.length} instances (\`bench/gateway/upstreams.ts\`: node:http servers in one process, each on its own 127.0.0.1 port,
  answering every request with a 16-byte JSON body and counting what reaches it) registered with a real Meshdeck (\`node server.mjs\`,
  fresh SQLite database, \`MESHDECK_DEMO=0\`) as service \`bench\`, weights ${result.weights.join(", ")}, policy weighted-round-robin (the default).
  The gateway is \`gateway/index.ts\` (its own process, started by the benchmark with an API token, following the catalog).
  HAProxy: the same ${result.weights.length} servers and weights, \`balance roundrobin\`, \`http-reuse always\`, no health checks, ${result.haproxyThreads}.
- Load: \`wrk -t${result.threads} -c${result.connections} -d${result.durationS}s --latency\` with \`bench/gateway/wrk-report.lua\`, one after another in the same run:
  direct to bench-1, through the gateway (\`/bench/work\`), through HAProxy (\`/work\`), each after a ${result.warmupS} s warm-up at the
  same concurrency. Shares are the instances' own counters over the measured run. CPU is user + system time from \`/proc\`
  of each process tree over the run (wrk's from bash's \`times\`), as % of one core; ${m.nproc} cores = ${m.nproc * 100} %.
  Requests per second per core busy in the proxy: gateway ${perCore(gateway, gatewayCpu)}, HAProxy ${perCore(haproxy, haproxyCpu)}.
- Everything shares the ${m.nproc} cores: wrk, the instances' process, the proxy under test, the app, this runner and whatever else
  ran on the machine compete for CPU, so requests/s is a ceiling of the whole loop on this machine, not of the proxy alone.
${renderPropagation(result.propagation)}
- Other processes using the CPU during the runs (from \`ps\`, at least 5 % of one core): ${result.runs.map((r) => `${r.label}: ${r.others.length ? r.others.map((o) => `\`${o.name}\` ${o.cpuPercent.toFixed(0)} %`).join(", ") : "none"}`).join("; ")}.

${renderTable(result)}

Targets:
${renderTargets(result)}
${result.notes.length ? `\nNotes:\n${result.notes.map((n) => `- ${n}`).join("\n")}\n` : ""}`;
}
