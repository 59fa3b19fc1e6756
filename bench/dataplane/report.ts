// Figures, targets and the docs/benchmarks.md section for the data plane benchmark.
import { propagationFigures, shares } from "../gateway/report";
import type { TChange } from "../shared/propagation";
import { machine, markdownTable, renderTargetList } from "../shared/report";
import type { TWrk } from "../shared/wrk";
import type { TStreamFigures } from "./stream";

export const planeLabels = ["haproxy-static", "haproxy-driven", "nginx-driven", "gateway"] as const;
export type TPlaneLabel = (typeof planeLabels)[number];

export type TRun = {
  label: TPlaneLabel;
  title: string;
  url: string;
  wrk: TWrk;
  /** Requests each instance counted itself over the measured run, in instance order. */
  counts: number[];
  /** The proxy's process tree, the app's, and everything else on the machine, % of one core. */
  cpu: { proxy: number | null; app: number | null; others: number | null };
  others: { name: string; cpuPercent: number }[];
};

export type TChangeRun = { label: TPlaneLabel; title: string; changes: TChange[]; stream: TStreamFigures; seconds: number };

export type TResult = {
  date: string;
  command: string;
  commit: string;
  builtFrom: string;
  dirty: string[];
  versions: { haproxy: string; nginx: string; wrk: string };
  threads: number;
  connections: number;
  durationS: number;
  warmupS: number;
  rate: number;
  weights: number[];
  call: string;
  runs: TRun[];
  propagation: TChangeRun[];
  notes: string[];
};

// The issue's targets for propagation (from the governance call to the instance's own arrivals), p99.
const propagationTargetMs: Partial<Record<TPlaneLabel, number>> = { "haproxy-driven": 200, "nginx-driven": 1500 };
// "HAProxy driven by Meshdeck matches static HAProxy within 5 %": the same proxy.
const sameProxyTolerance = 0.05;

const lat = (value: number) => (value < 10 ? `${value.toFixed(2)} ms` : `${value.toFixed(1)} ms`);
const ms = (value: number | null | undefined) => (value === null || value === undefined ? "n/a" : `${value.toFixed(1)} ms`);
const pct = (value: number | null | undefined) => (value === null || value === undefined ? "n/a" : `${value.toFixed(0)} %`);
const x = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined || b === 0 ? "n/a" : `${(a / b).toFixed(3)}x`);

function runOf(result: TResult, label: TPlaneLabel) {
  return result.runs.find((r) => r.label === label);
}

export function evaluate(result: TResult) {
  const targets: { name: string; value: string; met: boolean }[] = [];
  const [fixed, driven] = [runOf(result, "haproxy-static"), runOf(result, "haproxy-driven")];
  if (fixed && driven) {
    const rps = driven.wrk.rps / fixed.wrk.rps;
    const p99 = driven.wrk.latencyMs.p99 / fixed.wrk.latencyMs.p99;
    targets.push({
      name: "HAProxy driven by Meshdeck: requests/s within 5 % of static HAProxy (or more)",
      value: `${driven.wrk.rps.toFixed(0)} vs ${fixed.wrk.rps.toFixed(0)} requests/s = ${rps.toFixed(3)}x`,
      met: rps >= 1 - sameProxyTolerance,
    });
    targets.push({
      name: "HAProxy driven by Meshdeck: p99 within 5 % of static HAProxy (or lower)",
      value: `${lat(driven.wrk.latencyMs.p99)} vs ${lat(fixed.wrk.latencyMs.p99)} = ${p99.toFixed(3)}x`,
      met: p99 <= 1 + sameProxyTolerance,
    });
  }
  for (const r of result.runs) {
    const s = shares(r.counts, result.weights);
    targets.push({
      name: `${r.title}: each instance's own count within 1 percentage point of its weight's share (${result.weights.join(":")})`,
      value: `${s.measured.map((m) => `${m.toFixed(2)} %`).join(" / ")} (largest gap ${s.maxGapPp.toFixed(2)} pp)`,
      met: s.total > 0 && s.maxGapPp <= 1,
    });
  }
  for (const p of result.propagation) {
    const f = propagationFigures(p);
    const limit = propagationTargetMs[p.label];
    if (limit !== undefined)
      targets.push({
        name: `${p.title}: weight change -> the instance's arrivals move, p99 < ${limit} ms over ${p.changes.length} changes`,
        value: f.missed
          ? `${f.missed} of ${p.changes.length} not seen within 3 s; p99 ${ms(f.fromStart.p99)}`
          : `p99 ${ms(f.fromStart.p99)} (p50 ${ms(f.fromStart.p50)})`,
        met: f.missed === 0 && f.fromStart.p99 !== null && f.fromStart.p99 < limit,
      });
    targets.push({
      name: `${p.title}: no request dropped during the ${p.changes.length} changes`,
      value: `${p.stream.dropped} of ${p.stream.sent} dropped${
        p.stream.dropped
          ? ` (${Object.entries(p.stream.reasons)
              .map(([k, n]) => `${k}: ${n}`)
              .join(", ")})`
          : ""
      }`,
      met: p.stream.dropped === 0 && p.stream.sent > 0,
    });
  }
  return targets;
}

export function renderThroughput(result: TResult): string {
  const cols = planeLabels.map((label) => runOf(result, label));
  const cell = (f: (r: TRun) => string) => cols.map((r) => (r ? f(r) : "n/a"));
  const [fixed, driven] = [cols[0], cols[1]];
  const shareCell = (r: TRun) =>
    `${r.counts.join(" / ")} = ${shares(r.counts, result.weights)
      .measured.map((m) => m.toFixed(2))
      .join(" / ")} %`;
  const errors = (w: TWrk) => `${w.errors.connect + w.errors.read + w.errors.write + w.errors.timeout} / ${w.errors.status}`;
  const rows = [
    ["requests/s", ...cell((r) => r.wrk.rps.toFixed(0)), x(driven?.wrk.rps, fixed?.wrk.rps)],
    ["latency p50", ...cell((r) => lat(r.wrk.latencyMs.p50)), x(driven?.wrk.latencyMs.p50, fixed?.wrk.latencyMs.p50)],
    ["latency p99", ...cell((r) => lat(r.wrk.latencyMs.p99)), x(driven?.wrk.latencyMs.p99, fixed?.wrk.latencyMs.p99)],
    ["latency p99.9 / max", ...cell((r) => `${lat(r.wrk.latencyMs.p999)} / ${lat(r.wrk.latencyMs.max)}`), ""],
    ["wrk socket errors / non-2xx", ...cell((r) => errors(r.wrk)), ""],
    [`counted by bench-1..${result.weights.length} (weights ${result.weights.join(":")})`, ...cell(shareCell), ""],
    ["CPU: the proxy (% of one core)", ...cell((r) => pct(r.cpu.proxy)), ""],
    ["CPU: wrk", ...cell((r) => pct(r.wrk.cpuPercent)), ""],
    ["CPU: Meshdeck app", ...cell((r) => pct(r.cpu.app)), ""],
    ["CPU: everything else on the machine", ...cell((r) => pct(r.cpu.others)), ""],
  ];
  return markdownTable(["", ...cols.map((r, i) => r?.title ?? planeLabels[i]!), "driven / static HAProxy"], rows);
}

export function renderPropagation(result: TResult): string {
  const rows = result.propagation.map((p) => {
    const f = propagationFigures(p);
    return [
      p.title,
      `${ms(f.fromStart.p50)} / ${ms(f.fromStart.p99)} / ${ms(f.fromStart.max)}`,
      `${ms(f.ins.p50)} / ${ms(f.ins.p99)}`,
      `${ms(f.outs.p50)} / ${ms(f.outs.p99)}`,
      `${ms(f.call.p50)} / ${ms(f.call.p99)}`,
      String(f.missed),
      `${p.stream.dropped} of ${p.stream.sent}${
        p.stream.dropped
          ? ` (${Object.entries(p.stream.reasons)
              .map(([k, n]) => `${k} ${n}`)
              .join(", ")})`
          : ""
      }`,
      `${p.seconds.toFixed(0)} s`,
    ];
  });
  return markdownTable(
    [
      "data plane",
      "call start -> arrivals move: p50 / p99 / max",
      "put back p50 / p99",
      "taken out p50 / p99",
      "the call: p50 / p99",
      "missed",
      "requests dropped",
      "time",
    ],
    rows,
  );
}

export function renderSection(result: TResult): string {
  const m = machine();
  return `## Data planes: HAProxy static vs driven by Meshdeck, nginx driven, the built-in gateway (${result.date}, SQLite)

- Machine: ${m.nproc} CPUs (\`nproc\`), ${m.model}, ${m.memoryGiB.toFixed(1)} GiB memory, Linux ${m.kernel}, Node ${m.node}, HAProxy ${result.versions.haproxy}, ${result.versions.nginx}, ${result.versions.wrk}.
- Command: \`${result.command}\`, commit ${result.commit.slice(0, 12)} (built by the benchmark in a directory of its own${result.builtFrom !== result.commit ? ` from ${result.builtFrom.slice(0, 12)}, whose app sources are the same` : ""}${result.dirty.length ? `; the working tree's ${result.dirty.length} uncommitted changes to the app were not measured` : ""}).
- Setup: the same ${result.weights.length} upstream instances (\`bench/gateway/upstreams.ts\`, node:http on 127.0.0.1, each counting what reaches it)
  registered with a real Meshdeck (\`node server.mjs\`, fresh SQLite, its collector in the app driving the data planes) as service \`bench\`,
  weights ${result.weights.join(":")}. In front of them, one after another: HAProxy with the servers written in its configuration (static);
  a second HAProxy whose backend \`bench\` starts empty and is filled by Meshdeck through its Runtime API (weights scaled to 64:128:192:256);
  Debian's nginx (2 workers) including the \`upstream bench\` Meshdeck renders, tests and reloads; the built-in gateway (\`gateway/index.ts\`).
  Both HAProxies: \`balance roundrobin\`, \`http-reuse always\`, no checks, their default threads.
- Throughput: \`wrk -t${result.threads} -c${result.connections} -d${result.durationS}s --latency\` per data plane after a ${result.warmupS} s warm-up (Debian's wrk 4 has no
  constant-rate mode: this is each data plane's ceiling on this machine, with wrk, the instances and the app on the same cores).
  Shares are the instances' own counters over the measured run. CPU from \`/proc\` per process tree, % of one core.
- Propagation and drops: for each driven data plane in turn (the others disabled), a constant stream of ${result.rate} requests/s (open loop,
  each request on a new connection, \`bench/dataplane/stream.ts\`) through it while bench-1's weight is set to 0 and 1 in turn,
  ${result.propagation[0]?.changes.length ?? 0} times, by ${result.call}. Each change is timed from the call's start by bench-1's own arrival times: to its first
  request after it is put back, to its last one after it is taken out (then at least 300 ms watched, the last 200 ms quiet).
  A request is dropped when it is not answered 200 within 5 s (refused, reset, 5xx).

${renderThroughput(result)}

${renderPropagation(result)}

Targets:
${renderTargetList(evaluate(result))}
${result.notes.length ? `\nNotes:\n${result.notes.map((n) => `- ${n}`).join("\n")}\n` : ""}`;
}
