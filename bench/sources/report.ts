import { machine } from "../shared/report";

type TWindow = { cpuPercent: number; peakRss: number; meanRss: number } | null;
type TSides = { collector: TWindow; etcd: TWindow };

export type TResult = {
  date: string;
  database: string;
  etcdVersion: string;
  instances: number;
  services: number;
  syncMs: number;
  lag: { count: number; p50: number; p99: number; max: number; byKind: Record<string, { count: number; p50: number | null; p99: number | null }> };
  etcdLag: { count: number; p50: number; p99: number };
  usage: { sync: TSides; idle: TSides; changes: TSides };
  machineBusyPercent: number;
  command: string;
  commit: string;
  pollMs: number;
};

const ms = (value: number | null) => (value === null ? "n/a" : `${value.toFixed(1)} ms`);
const cpu = (window: TWindow) => (window ? `${window.cpuPercent.toFixed(1)} %` : "n/a");
const rss = (window: TWindow) => (window ? `${(window.peakRss / 2 ** 20).toFixed(0)} MB` : "n/a");
const ratio = (a: number | null | undefined, b: number | null | undefined) => (a && b ? `${(a / b).toFixed(2)}x` : "n/a");

export function renderSection(r: TResult): string {
  const m = machine();
  const when = r.date.slice(0, 16).replace("T", " ");
  const { sync, idle, changes } = r.usage;
  const kinds = Object.entries(r.lag.byKind)
    .map(([kind, k]) => `${kind} ${k.count} (p50 ${ms(k.p50)}, p99 ${ms(k.p99)})`)
    .join("; ");
  return `## Registry sources: ${r.instances} instances in etcd, Meshdeck's sync vs a plain etcd watcher (${when} UTC, ${r.database === "postgres" ? "PostgreSQL" : "SQLite"})

- Machine: ${m.nproc} CPUs (\`nproc\`), ${m.model}, ${m.memoryGiB.toFixed(1)} GiB memory, Linux ${m.kernel}, Node ${m.node}, ${r.etcdVersion} (Debian).
- Command: \`${r.command}\`, commit ${r.commit.slice(0, 12)}.
- Setup (\`bench/sources/run.ts\`): ${r.instances} keys in ${r.services} services written to a real etcd on 127.0.0.1 in the seed's
  \`/bench/services/<service>/<id>\` -> \`http://host:port\` form; one collector process (\`collector/index.ts\`) on a fresh
  database, given the source by writing its row. Initial sync: from that write to the last of the ${r.instances} instances in the
  database. Lag: ${r.lag.count} changes one at a time (${kinds}), each from just before its put or delete to the moment the
  database shows it (looked at every ${r.pollMs} ms); beside it, in the same run, the time to the same event reaching a plain
  etcd watcher in the benchmark's process: the floor any etcd client sees.
- The machine's busy CPU during the idle and change windows: ${r.machineBusyPercent.toFixed(0)} % of one core (of ${m.nproc * 100} %), everything included.

| | Meshdeck (sync to database) | plain etcd watcher | Meshdeck / watcher |
|---|---|---|---|
| change lag p50 | ${ms(r.lag.p50)} | ${ms(r.etcdLag.p50)} | ${ratio(r.lag.p50, r.etcdLag.p50)} |
| change lag p99 | ${ms(r.lag.p99)} | ${ms(r.etcdLag.p99)} | ${ratio(r.lag.p99, r.etcdLag.p99)} |
| change lag max | ${ms(r.lag.max)} | | |

| CPU (% of one core) / RSS peak | Meshdeck collector | etcd ${r.etcdVersion.replace(/^etcd Version: /, "")} | collector / etcd |
|---|---|---|---|
| initial sync | ${cpu(sync.collector)} / ${rss(sync.collector)} | ${cpu(sync.etcd)} / ${rss(sync.etcd)} | ${ratio(sync.collector?.cpuPercent, sync.etcd?.cpuPercent)} CPU |
| idle, 10 s, ${r.instances} instances held | ${cpu(idle.collector)} / ${rss(idle.collector)} | ${cpu(idle.etcd)} / ${rss(idle.etcd)} | ${ratio(idle.collector?.cpuPercent, idle.etcd?.cpuPercent)} CPU |
| ${r.lag.count} changes | ${cpu(changes.collector)} / ${rss(changes.collector)} | ${cpu(changes.etcd)} / ${rss(changes.etcd)} | ${ratio(changes.collector?.cpuPercent, changes.etcd?.cpuPercent)} CPU |

Targets:
- ${r.syncMs < 10_000 ? "MET" : "MISSED"}: initial sync of ${r.instances} instances < 10 s: ${(r.syncMs / 1000).toFixed(2)} s
- ${r.lag.p99 < 500 ? "MET" : "MISSED"}: lag from an etcd change to the database < 500 ms (p99): p50 ${ms(r.lag.p50)}, p99 ${ms(r.lag.p99)} over ${r.lag.count} changes
`;
}
