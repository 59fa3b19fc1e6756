// The "## Registry protocols" section of docs/benchmarks.md: each protocol against the native API at its cadence.
import { machine, markdownTable } from "../shared/report";
import type { TCalls } from "./load";
import type { TProtocol } from "./protocols";

export const docHeading = "## Registry protocols";

export type TPhase = { name: string; protocol: TProtocol; everyMs: number; ttlS: number; against?: string };
export type TPhaseResult = {
  phase: TPhase;
  register: TCalls & { seconds: number };
  registerCpuPercent: number | null;
  renewals: TCalls;
  holdCpuPercent: number | null;
  holdRssMb: number | null;
  catalog: { total: number; passing: number };
};
type TRun = { date: string; command: string; commit: string; instances: number; concurrency: number; holdSeconds: number; results: TPhaseResult[] };

const ms = (value: number | null) => (value === null ? "n/a" : `${value.toFixed(1)} ms`);
const pct = (value: number | null) => (value === null ? "n/a" : `${value.toFixed(1)} %`);
const ratio = (a: number | null, b: number | null | undefined) => (a && b ? `${(a / b).toFixed(2)}x` : "n/a");
const rate = (r: TPhaseResult) => r.register.ok / r.register.seconds;

/** Every refusal of a phase, as answered and how often: what misbehaved, exactly. */
function refusalLines(results: TPhaseResult[]): string[] {
  return results.flatMap((r) =>
    (["register", "renewals"] as const).flatMap((stage) =>
      [...r[stage].refusals].map(([answer, count]) => `- ${r.phase.name}, ${stage === "register" ? "registration" : "renewal"}: ${count} x \`${answer}\``),
    ),
  );
}

export function renderSection(run: TRun): string {
  const m = machine();
  const byName = new Map(run.results.map((r) => [r.phase.name, r]));
  const rows = run.results.map((r) => {
    const base = r.phase.against ? byName.get(r.phase.against) : undefined;
    return [
      r.phase.name,
      `${r.phase.everyMs / 1000} s`,
      `${rate(r).toFixed(0)}/s`,
      `${ms(r.register.p50)} / ${ms(r.register.p99)}`,
      `${r.register.ok} (${r.register.failed})`,
      pct(r.registerCpuPercent),
      `${r.renewals.ok} (${r.renewals.failed}), p99 ${ms(r.renewals.p99)}`,
      pct(r.holdCpuPercent),
      r.holdRssMb === null ? "n/a" : `${r.holdRssMb.toFixed(0)} MB`,
      `${r.catalog.passing}/${r.catalog.total}`,
      base ? ratio(rate(r), rate(base)) : "",
      base ? ratio(r.holdCpuPercent, base.holdCpuPercent) : "",
    ];
  });
  const table = markdownTable(
    [
      "phase",
      "renewal every",
      "registration rate",
      "register p50 / p99",
      "registered 2xx (not)",
      "CPU registering",
      "renewals 2xx (not)",
      `CPU held, ${run.holdSeconds} s`,
      "RSS peak held",
      "passing at end",
      "rate / native",
      "CPU held / native",
    ],
    rows,
  );
  const refusals = refusalLines(run.results);
  return `${docHeading}: \`npm run bench:compat\` (${run.date.slice(0, 16).replace("T", " ")} UTC, SQLite)

- Machine: ${m.nproc} CPUs (\`nproc\`), ${m.model}, ${m.memoryGiB.toFixed(1)} GiB memory, Linux ${m.kernel}, Node ${m.node}.
- Command: \`${run.command}\`, commit ${run.commit.slice(0, 12)}.
- Setup (\`bench/compat/run.ts\`): one app process per phase (SQLite, a fresh database, \`MESHDECK_DEMO=0\`,
  \`MESHDECK_GATEWAY=off\`, the Consul, Eureka and Nacos APIs on free ports), an API token for the clients. Each phase
  registers ${run.instances} instances in 50 services, ${run.concurrency} at a time, then holds them ${run.holdSeconds} s with
  renewals at the protocol's default interval, instance k first renewed at k/${run.instances} of the interval (spread, as
  independent clients are); CPU (% of one core) and RSS of the app's process tree from /proc over each window.
- Native: \`POST /api/v1/registry/instances\` with a TTL check, then \`PUT .../heartbeat\`; run at 5 s (TTL 10 s) to compare with
  Consul and Nacos, and at 30 s (TTL 90 s) to compare with Eureka.
- Consul: the \`consul\` npm client, \`agent.service.register\` with a TTL check of 10 s, then \`agent.check.pass\` every 5 s (half
  the TTL, as Consul clients commonly do). Eureka: eureka-js-client's HTTP calls (\`POST /eureka/apps/APP\` with the
  instance as JSON, then \`PUT /eureka/apps/APP/ID\`) every 30 s, Eureka's default, the token as the Basic password. Nacos:
  the \`nacos\` SDK's calls (\`POST /nacos/v1/ns/instance\`, then \`PUT /nacos/v1/ns/instance/beat\`, parameters and
  username/password in the query string) every 5 s, Nacos's default.
- The ratios are protocol / native at the same cadence in the same run: above 1x the protocol registers faster or costs
  more CPU.

${table}

${refusals.length ? `Refused or failed calls:\n\n${refusals.join("\n")}` : "Every registration and renewal answered 2xx."}
`;
}
