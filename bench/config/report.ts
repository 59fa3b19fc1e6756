// Figures, targets and the docs/benchmarks.md section for the config watch benchmark.
import { machine, percentile, markdownTable, renderTargetList } from "../shared/report";

export type TSide = {
  name: string;
  latencies: number[];
  missed: number;
  idle: { cpuPercent: number; peakRssMb: number; meanRssMb: number; seconds: number } | null;
  publishCpuPercent: number | null;
  watcherErrors: number;
};

export type TResult = {
  date: string;
  command: string;
  commit: string;
  database: string;
  watchers: number;
  changes: number;
  everyMs: number;
  idleSeconds: number;
  etcdVersion: string;
  meshdeck: TSide;
  etcd: TSide;
  clientCpu: { meshdeck: number | null; etcd: number | null };
  notes: string[];
};

const ms = (value: number | null) => (value === null ? "n/a" : `${value.toFixed(0)} ms`);
const pct = (value: number | null | undefined) => (value === null || value === undefined ? "n/a" : `${value.toFixed(2)} %`);
const mb = (value: number | null | undefined) => (value === null || value === undefined ? "n/a" : `${value.toFixed(0)} MB`);
const ratio = (a: number | null | undefined, b: number | null | undefined) =>
  a === null || a === undefined || b === null || b === undefined || b === 0 ? "n/a" : `${(a / b).toFixed(2)}x`;

export function figures(side: TSide) {
  return { p50: percentile(side.latencies, 50), p99: percentile(side.latencies, 99), max: side.latencies.length ? Math.max(...side.latencies) : null };
}

export function evaluate(result: TResult) {
  const mesh = figures(result.meshdeck);
  return [
    {
      name: "Meshdeck publish-to-notified p99 < 500 ms across all watchers",
      value: ms(mesh.p99),
      met: result.meshdeck.missed === 0 && mesh.p99 !== null && mesh.p99 < 500,
    },
    {
      name: `Meshdeck idle CPU with ${result.watchers} watchers < 5 % of a core`,
      value: pct(result.meshdeck.idle?.cpuPercent),
      met: result.meshdeck.idle !== null && result.meshdeck.idle.cpuPercent < 5,
    },
  ];
}

export function renderTable(result: TResult): string {
  const mesh = figures(result.meshdeck);
  const etcd = figures(result.etcd);
  const expected = result.watchers * result.changes;
  const rows = [
    ["publish-to-notified p50", ms(mesh.p50), ms(etcd.p50), ratio(mesh.p50, etcd.p50)],
    ["publish-to-notified p99", ms(mesh.p99), ms(etcd.p99), ratio(mesh.p99, etcd.p99)],
    ["slowest notification", ms(mesh.max), ms(etcd.max), ratio(mesh.max, etcd.max)],
    [`notifications received (of ${expected})`, String(result.meshdeck.latencies.length), String(result.etcd.latencies.length), ""],
    [
      `server CPU idle, ${result.watchers} watchers held (% of one core)`,
      pct(result.meshdeck.idle?.cpuPercent),
      pct(result.etcd.idle?.cpuPercent),
      ratio(result.meshdeck.idle?.cpuPercent, result.etcd.idle?.cpuPercent),
    ],
    [
      "server RSS idle (peak)",
      mb(result.meshdeck.idle?.peakRssMb),
      mb(result.etcd.idle?.peakRssMb),
      ratio(result.meshdeck.idle?.peakRssMb, result.etcd.idle?.peakRssMb),
    ],
    [
      `server CPU during the ${result.changes} changes`,
      pct(result.meshdeck.publishCpuPercent),
      pct(result.etcd.publishCpuPercent),
      ratio(result.meshdeck.publishCpuPercent, result.etcd.publishCpuPercent),
    ],
    ["watcher errors", String(result.meshdeck.watcherErrors), String(result.etcd.watcherErrors), ""],
  ];
  return markdownTable(["", `Meshdeck (long poll, ${result.database})`, `etcd ${result.etcdVersion} (watch)`, "Meshdeck / etcd"], rows);
}

export function renderTargets(result: TResult): string {
  return renderTargetList(evaluate(result));
}

export function renderSection(result: TResult): string {
  const m = machine();
  return `## Config watch: ${result.watchers} watchers, Meshdeck long poll vs etcd ${result.etcdVersion} watch (${result.date}, ${result.database})

- Machine: ${m.nproc} CPUs (\`nproc\`), ${m.model}, ${m.memoryGiB.toFixed(1)} GiB memory, Linux ${m.kernel}, Node ${m.node}, etcd ${result.etcdVersion} (Debian's etcd-server).
- Command: \`${result.command}\` (commit ${result.commit.slice(0, 12)}, built in a directory of its own).
- Setup: the built app (\`node server.mjs\`, ${result.database}, no demo fleet, no gateway) with ${result.watchers} watchers of one item, each its own
  HTTP connection holding \`POST /api/v1/config/watch\` (timeout 30 s) as a distinct instance; beside it, in turn, etcd with ${result.watchers}
  watchers of one key through etcd3 1.1.2 (one gRPC stream, as etcd clients multiplex watches). The watchers run in a process of their
  own (\`bench/config/watchers.ts\`), the publisher in the driver.
- Changes: ${result.changes}, one every ${result.everyMs} ms: a \`PUT\` of a new version (an operator session) / an etcd \`put\`. Latency = when a
  watcher's answer or event was complete, minus the moment the driver began the publish, for every watcher and change
  (${result.watchers} x ${result.changes} samples; p99 is nearest-rank).
- Idle: ${result.idleSeconds} s with every watch held, longer than the 30 s watch timeout, so each Meshdeck watcher also renewed its
  poll once inside the window. CPU is user + system time of the server's process tree from \`/proc\`, as % of one core; RSS from
  \`/proc/<pid>/status\`. The watchers' own process used ${pct(result.clientCpu.meshdeck)} (Meshdeck) and ${pct(result.clientCpu.etcd)} (etcd) over the same windows.

${renderTable(result)}

Targets:
${renderTargets(result)}
${result.notes.length ? `\nNotes:\n${result.notes.map((n) => `- ${n}`).join("\n")}\n` : ""}`;
}
