// Figures, targets and the docs/benchmarks.md section for the health-check benchmark.
import { machine, percentile, markdownTable, renderTargetList } from "../shared/report";

export type TSide = {
  name: string;
  detections: number[];
  missed: number;
  falsePositives: number;
  cpuPercent: number | null;
  killCpuPercent: number | null;
  peakRssMb: number | null;
};

export type TResult = {
  date: string;
  command: string;
  database: string;
  checkKind: "http" | "tcp";
  instances: number;
  services: number;
  kills: number;
  killSpreadMs: number;
  steadySeconds: number;
  meshdeck: TSide;
  haproxy: TSide & { version: string };
  /** The combined run only: Prometheus scraping the same targets. */
  prometheus: { version: string; cpuPercent: number | null; peakRssMb: number | null } | null;
  targetsCpuPercent: number | null;
  /** Everything else on the machine during the steady window, % of one core. */
  othersCpuPercent: number;
  ownDetection: { p50: number | null; p99: number | null };
  /** From the collector's start to all instances passing: its first health writes, one per instance. */
  warmupSeconds: number;
  /** The collector's event-loop delay: each second's worst delay, its median over the window, and the worst. */
  loop: { steady: { median: number | null; max: number } | null; kills: { median: number | null; max: number } | null };
  notes: string[];
};

const ms = (value: number | null) => (value === null ? "n/a" : `${Math.round(value)} ms`);
const pct = (value: number | null) => (value === null ? "n/a" : `${value.toFixed(1)} %`);
const ratio = (a: number | null, b: number | null) => (a === null || b === null || b === 0 ? null : a / b);
const loop = (w: { median: number | null; max: number } | null) => (w ? `${ms(w.median)} / ${ms(w.max)}` : "n/a");
const sum = (a: number | null, b: number | null) => (a === null || b === null ? null : a + b);
const x = (value: number | null) => (value === null ? "n/a" : `${value.toFixed(2)}x`);

export function evaluate(result: TResult) {
  const { meshdeck, haproxy } = result;
  const p50 = { meshdeck: percentile(meshdeck.detections, 50), haproxy: percentile(haproxy.detections, 50) };
  const p99 = { meshdeck: percentile(meshdeck.detections, 99), haproxy: percentile(haproxy.detections, 99) };
  // interval x fall + 500 ms at the defaults (1 s x 2).
  const absoluteLimitMs = 1000 * 2 + 500;
  const relativeLimitMs = p99.haproxy === null ? null : p99.haproxy * 1.1;
  // Checks alone against HAProxy; checks and scrapes against HAProxy and Prometheus together.
  const reference = result.prometheus ? sum(haproxy.cpuPercent, result.prometheus.cpuPercent) : haproxy.cpuPercent;
  const cpuRatio = ratio(meshdeck.cpuPercent, reference);
  const complete = meshdeck.missed === 0 && haproxy.missed === 0;
  const targets = [
    {
      name: `Meshdeck p99 detection <= interval x fall + 500 ms (${absoluteLimitMs} ms)`,
      value: ms(p99.meshdeck),
      met: complete && p99.meshdeck !== null && p99.meshdeck <= absoluteLimitMs,
    },
    {
      name: `Meshdeck p99 detection <= HAProxy p99 + 10 % (${ms(relativeLimitMs)})`,
      value: `${ms(p99.meshdeck)} (${x(ratio(p99.meshdeck, p99.haproxy))} HAProxy's)`,
      met: complete && p99.meshdeck !== null && relativeLimitMs !== null && p99.meshdeck <= relativeLimitMs,
    },
    result.prometheus
      ? {
          name: "Meshdeck collector CPU (checks + scrapes) <= 1.5x HAProxy's + 1x Prometheus's",
          value: `${pct(meshdeck.cpuPercent)} vs ${pct(haproxy.cpuPercent)} + ${pct(result.prometheus.cpuPercent)} (${x(cpuRatio)} their sum)`,
          met:
            meshdeck.cpuPercent !== null &&
            haproxy.cpuPercent !== null &&
            result.prometheus.cpuPercent !== null &&
            meshdeck.cpuPercent <= 1.5 * haproxy.cpuPercent + result.prometheus.cpuPercent,
        }
      : {
          name: "Meshdeck collector CPU <= 1.5x HAProxy's",
          value: `${pct(meshdeck.cpuPercent)} vs ${pct(haproxy.cpuPercent)} (${x(cpuRatio)})`,
          met: cpuRatio !== null && cpuRatio <= 1.5,
        },
    ...(result.prometheus
      ? []
      : [
          {
            name: "Meshdeck collector peak RSS <= 200 MB",
            value: meshdeck.peakRssMb === null ? "n/a" : `${meshdeck.peakRssMb.toFixed(0)} MB`,
            met: meshdeck.peakRssMb !== null && meshdeck.peakRssMb <= 200,
          },
        ]),
    {
      name: "Warm-up: all instances passing within rise x interval + 2 s (4 s) of the collector's start",
      value: `${result.warmupSeconds.toFixed(1)} s`,
      met: result.warmupSeconds <= 4,
    },
  ];
  return { p50, p99, cpuRatio, targets };
}

export function renderTable(result: TResult): string {
  const { meshdeck, haproxy } = result;
  const { p50, p99, cpuRatio } = evaluate(result);
  // A kill never detected is slower than any that was: with one missing, p99 is not a number to print.
  const p99Cell = (side: TSide, value: number | null) => (side.missed ? `not reached: ${side.missed} of ${result.kills} kills undetected` : ms(value));
  const rows = [
    ["detection p50 (kill -> event)", ms(p50.meshdeck), ms(p50.haproxy), x(ratio(p50.meshdeck, p50.haproxy))],
    [
      "detection p99 (kill -> event)",
      p99Cell(meshdeck, p99.meshdeck),
      p99Cell(haproxy, p99.haproxy),
      meshdeck.missed || haproxy.missed ? "n/a" : x(ratio(p99.meshdeck, p99.haproxy)),
    ],
    [
      "detection min / max",
      `${ms(Math.min(...meshdeck.detections))} / ${ms(Math.max(...meshdeck.detections))}`,
      `${ms(Math.min(...haproxy.detections))} / ${ms(Math.max(...haproxy.detections))}`,
      "",
    ],
    [`kills detected (of ${result.kills})`, String(meshdeck.detections.length), String(haproxy.detections.length), ""],
    ["live instances marked down (false positives)", String(meshdeck.falsePositives), String(haproxy.falsePositives), ""],
    [`CPU, % of one core, ${result.steadySeconds} s with all ${result.instances} passing`, pct(meshdeck.cpuPercent), pct(haproxy.cpuPercent), x(cpuRatio)],
    [
      "CPU, % of one core, during the kills",
      pct(meshdeck.killCpuPercent),
      pct(haproxy.killCpuPercent),
      x(ratio(meshdeck.killCpuPercent, haproxy.killCpuPercent)),
    ],
    [
      "peak RSS",
      meshdeck.peakRssMb === null ? "n/a" : `${meshdeck.peakRssMb.toFixed(0)} MB`,
      haproxy.peakRssMb === null ? "n/a" : `${haproxy.peakRssMb.toFixed(0)} MB`,
      x(ratio(meshdeck.peakRssMb, haproxy.peakRssMb)),
    ],
  ];
  const { prometheus } = result;
  if (prometheus)
    rows.push(
      [
        `Prometheus ${prometheus.version} scraping the same targets: CPU (steady) / peak RSS`,
        "",
        `${pct(prometheus.cpuPercent)} / ${prometheus.peakRssMb?.toFixed(0) ?? "n/a"} MB`,
        "",
      ],
      [
        "CPU, steady: Meshdeck (checks + scrapes) vs HAProxy + Prometheus",
        pct(meshdeck.cpuPercent),
        pct(sum(haproxy.cpuPercent, prometheus.cpuPercent)),
        x(ratio(meshdeck.cpuPercent, sum(haproxy.cpuPercent, prometheus.cpuPercent))),
      ],
    );
  return markdownTable(["", "Meshdeck collector", `HAProxy ${haproxy.version}`, "Meshdeck / HAProxy"], rows);
}

export function renderTargets(result: TResult): string {
  return renderTargetList(evaluate(result).targets);
}

export function renderSection(result: TResult): string {
  const m = machine();
  const what = result.prometheus ? "checks and scrapes, Meshdeck collector vs HAProxy + Prometheus" : "Meshdeck collector vs HAProxy";
  const scrapes = result.prometheus
    ? `\n- Combined run: every instance also serves \`/metrics\` (one histogram, 2 series of 11 buckets), scraped every 10 s (5 s timeout) by the
  collector and by Prometheus ${result.prometheus.version} (\`static_configs\`, the same targets); the collector's CPU is compared with HAProxy's and
  Prometheus's together.`
    : "\n- Checks only: the instances are registered with `metrics: null`, so the collector scrapes nothing.";
  const check =
    result.checkKind === "tcp"
      ? "TCP checks: a connect, then a close; HAProxy's `check` without `httpchk`"
      : "`option httpchk GET /health`; the targets keep HTTP/1.1 connections alive, HAProxy's HTTP/1.0 checks close theirs";
  return `## Health checks: ${result.instances} ${result.checkKind.toUpperCase()} instances, ${what} (${result.date}, ${result.database})

- Machine: ${m.nproc} CPUs (\`nproc\`), ${m.model}, ${m.memoryGiB.toFixed(1)} GiB memory, Linux ${m.kernel}, Node ${m.node}, HAProxy ${result.haproxy.version}.
- Command: \`${result.command}\`
- Setup: ${result.instances} HTTP listeners on 127.0.0.1 (one process, \`bench/health/targets.ts\`) in ${result.services} services,
  checked at the same time by the Meshdeck collector (\`collector/index.ts\` as its own process, ${result.database}) and by HAProxy
  (${check}; \`check inter 1s fall 2 rise 2\`, \`timeout check 800ms\`); Meshdeck at its defaults
  (interval 1 s, timeout 800 ms, fall 2, rise 2). Both warmed up until all ${result.instances} were passing / UP.${scrapes}
- Kills: ${result.kills} listeners closed, spread over ${(result.killSpreadMs / 1000).toFixed(1)} s. Detection time = the
  \`HealthEvent.at\` of the instance's change to critical (Meshdeck) or the timestamp of HAProxy's "Server ... is DOWN" log
  line, minus the moment the listener was closed. p99 is nearest-rank: with ${result.kills} kills it is the slowest one.
- CPU is user + system time from \`/proc/<pid>/stat\` of each checker's process tree over the window, as % of one core;
  RSS from \`/proc/<pid>/status\`. The ${result.instances} targets process used ${pct(result.targetsCpuPercent)} over the steady window
  on the same ${m.nproc} CPUs (it answers both checkers: ~${2 * result.instances} requests/s); all other processes on the machine
  used ${pct(result.othersCpuPercent)}.
- Meshdeck's own \`detectionMs\` (last success to decision, as stored on the event): p50 ${ms(result.ownDetection.p50)}, p99 ${ms(result.ownDetection.p99)}.
- Collector warm-up: ${result.warmupSeconds.toFixed(1)} s from its start to all ${result.instances} passing (${result.instances} unknown -> passing
  transitions written, ~${(result.instances / result.warmupSeconds).toFixed(0)} per second). Collector event-loop delay (\`bench/shared/loop-monitor.mjs\`,
  each second's worst delay: median second / worst second): ${loop(result.loop.steady)} with all passing, ${loop(result.loop.kills)} during the kills.

${renderTable(result)}

Targets:
${renderTargets(result)}
${result.notes.length ? `\nNotes:\n${result.notes.map((n) => `- ${n}`).join("\n")}\n` : ""}`;
}
