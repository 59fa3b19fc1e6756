// Figures, targets and the docs/benchmarks.md section of bench:registry: one table for both databases, each
// figure beside the bare Node server's where a ratio means something.
import type { TFigures } from "./figures";
import { machine, markdownTable } from "../shared/report";

/** A stage's outcome: its figures, or why it failed (the run goes on). */
export type TStage<T> = { ok: true; value: T } | { ok: false; reason: string };

export type TRegistration = { figures: TFigures; attempted: number; stoppedAtDeadline: boolean; stored: number; storedWithout2xx: number; okNotStored: number };
export type TUsageFigure = { name: string; cpuPercent: number | null; rssMb: number | null };
export type TMass = {
  count: number;
  clearMs: number | null;
  remaining: number;
  healthz: TFigures;
  events: { health: number; failover: number };
};
export type TSoak = {
  seconds: number;
  ttlMs: number;
  beatEveryMs: number;
  register: TFigures;
  beats: TFigures;
  ttlExpiries: number;
  falseExpiries: number;
  instancesOverTtl: number;
  maxGapMs: number | null;
  notRegistered: number;
};

export type TDatabaseResult = {
  database: "sqlite" | "postgres";
  apps: number;
  collectors: number;
  register: TStage<TRegistration>;
  idle: TStage<{ seconds: number; processes: TUsageFigure[] }>;
  discoveryService: TStage<TFigures>;
  discoveryCatalog: TStage<TFigures>;
  heartbeats: TStage<TFigures>;
  mass: TStage<TMass>;
  soak: TStage<TSoak>;
  /** Peak RSS of each process from the end of registration to the end of the soak. */
  peakRss: TUsageFigure[];
  soakCpu: TUsageFigure[];
  /** Where the CPU went during registration and heartbeats, and what PostgreSQL's backends were doing. */
  phaseNotes: string[];
};

export type TBare = { register: TStage<TFigures>; heartbeats: TStage<TFigures>; discoveryService: TStage<TFigures>; discoveryCatalog: TStage<TFigures> };

export type TResult = {
  date: string;
  command: string;
  commit: string;
  instances: number;
  services: number;
  bigService: number;
  massCount: number;
  stageSeconds: number;
  beatEveryMs: number;
  concurrency: { register: number; heartbeats: number; discoveryService: number; discoveryCatalog: number };
  bare: TBare;
  databases: TDatabaseResult[];
  /** Other work on the machine shows here: its busy CPU (everything, % of one core) and the load average before each phase. */
  machineLoad: { phase: string; loadAverage: number; busyPercent: number }[];
  notes: string[];
};

const ms = (value: number | null | undefined) =>
  value === null || value === undefined ? "n/a" : value < 10 ? `${value.toFixed(1)} ms` : `${Math.round(value)} ms`;
const rate = (value: number) => `${Math.round(value).toLocaleString("en-US")}/s`;
const mb = (value: number | null) => (value === null ? "n/a" : `${Math.round(value)} MB`);
const pct = (value: number | null) => (value === null ? "n/a" : `${value.toFixed(1)} %`);
const sum = (values: (number | null)[]) => (values.some((v) => v === null) ? null : values.reduce<number>((a, b) => a + b!, 0));
const dbName = (database: TDatabaseResult) =>
  database.database === "sqlite" ? "SQLite, 1 app" : `PostgreSQL, ${database.apps} apps + ${database.collectors} collectors`;

function ofBare(value: number | null | undefined, bare: TStage<TFigures>, pick: (f: TFigures) => number | null, kind: "rate" | "latency"): string {
  if (!bare.ok || value === null || value === undefined) return "";
  const base = pick(bare.value);
  if (!base) return "";
  return kind === "rate" ? `${((value / base) * 100).toFixed(1)} % of bare` : `${(value / base).toFixed(1)}x bare`;
}

/** `short`: by how much a missed target is missed, in the target's own terms. */
export type TRow = { measure: string; target: string; database: string; figure: string; vsBare: string; met: boolean | null; short?: string };

/** "12 ms (12 %) over 100 ms", or nothing when `value` is within `limit`. */
function over(what: string, value: number | null | undefined, limit: number, unit: " ms" | " MB" | " %" | " s"): string[] {
  if (value === null || value === undefined) return [`${what} not measured`];
  if (value < limit) return [];
  const round = (v: number) => (unit === " s" ? v.toFixed(2) : unit === " %" ? v.toFixed(1) : Math.round(v).toLocaleString("en-US"));
  return [`${what} ${round(value)}${unit} is ${round(value - limit)}${unit} (${((value / limit - 1) * 100).toFixed(0)} %) over ${round(limit)}${unit}`];
}

/** "1,880/s is 120/s (6 %) under 2,000/s", or nothing when `value` reaches `floor`. */
function under(what: string, value: number, floor: number, unit: "/s" | " % of bare"): string[] {
  if (value >= floor) return [];
  const round = (v: number) => (unit === "/s" ? Math.round(v).toLocaleString("en-US") : v.toFixed(1));
  return [
    `${what} ${round(value)}${unit} is ${round(floor - value)}${unit === "/s" ? "/s" : " points"} (${((1 - value / floor) * 100).toFixed(0)} %) under ${round(floor)}${unit}`,
  ];
}

/** The reason of a stage left out by `--only`: shown, neither met nor missed. */
export const notRun = "not run (--only)";

const failed = (reason: string) => (reason === notRun ? { figure: notRun, vsBare: "", met: null } : { figure: `failed: ${reason}`, vsBare: "", met: false });

/** Every answer was 2xx or 429/503 with Retry-After, and none timed out. */
function answersClean(f: TFigures) {
  return f.timeouts === 0 && f.errors === 0 && f.shedWithoutRetryAfter === 0 && Object.keys(f.otherStatuses).length === 0;
}

// A read no client is overloading must be answered: a fast 503 is no discovery (a run once "met" this with 0 answers).
function readsServed(f: TFigures) {
  return answersClean(f) && f.ok > 0 && f.shed === 0;
}

export function answersLine(f: TFigures): string {
  const others = Object.entries(f.otherStatuses)
    .map(([status, count]) => `${count} x ${status}`)
    .join(", ");
  return `${f.ok} 2xx, ${f.shed} 429/503 with Retry-After, ${f.shedWithoutRetryAfter} without${others ? `, ${others}` : ""}, ${f.timeouts} timeouts, ${f.errors} errors`;
}

export function rowsOf(result: TResult, r: TDatabaseResult): TRow[] {
  const database = dbName(r);
  const { bare } = result;
  const rows: TRow[] = [];
  const row = (measure: string, target: string, outcome: { figure: string; vsBare: string; met: boolean | null; short?: string[] }) =>
    rows.push({ measure, target, database, ...outcome, short: outcome.short?.join("; ") });

  row(
    `register ${result.instances.toLocaleString("en-US")} instances in ${result.services.toLocaleString("en-US")} services (${result.concurrency.register} clients)`,
    ">= 2,000/s, p99 < 100 ms",
    r.register.ok
      ? {
          figure: `${rate(r.register.value.figures.okPerSecond)}, p50 ${ms(r.register.value.figures.p50)}, p99 ${ms(r.register.value.figures.p99)}${r.register.value.stoppedAtDeadline ? ` (stopped at the deadline after ${r.register.value.attempted})` : ""}`,
          vsBare: `${ofBare(r.register.value.figures.okPerSecond, bare.register, (f) => f.okPerSecond, "rate")}, p99 ${ofBare(r.register.value.figures.p99, bare.register, (f) => f.p99, "latency")}`,
          met: r.register.value.figures.okPerSecond >= 2000 && (r.register.value.figures.p99 ?? Infinity) < 100,
          short: [...under("rate", r.register.value.figures.okPerSecond, 2000, "/s"), ...over("p99", r.register.value.figures.p99, 100, " ms")],
        }
      : failed(r.register.reason),
  );
  row(
    "registration: answers",
    "2xx or 429/503 with Retry-After; 0 timeouts",
    r.register.ok ? { figure: answersLine(r.register.value.figures), vsBare: "", met: answersClean(r.register.value.figures) } : failed(r.register.reason),
  );
  row(
    "registration: stored without a 2xx (and 2xx not stored)",
    "0 (0)",
    r.register.ok
      ? {
          figure: `${r.register.value.storedWithout2xx} (${r.register.value.okNotStored}), ${r.register.value.stored} stored`,
          vsBare: "",
          met: r.register.value.storedWithout2xx === 0 && r.register.value.okNotStored === 0,
        }
      : failed(r.register.reason),
  );
  row(
    `heartbeats (${result.concurrency.heartbeats} clients, ${result.stageSeconds} s)`,
    ">= 50 % of bare Node's rate, p99 < 20 ms",
    r.heartbeats.ok
      ? {
          figure: `${rate(r.heartbeats.value.okPerSecond)}, p50 ${ms(r.heartbeats.value.p50)}, p99 ${ms(r.heartbeats.value.p99)}; ${answersLine(r.heartbeats.value)}`,
          vsBare: `${ofBare(r.heartbeats.value.okPerSecond, bare.heartbeats, (f) => f.okPerSecond, "rate")}, p99 ${ofBare(r.heartbeats.value.p99, bare.heartbeats, (f) => f.p99, "latency")}`,
          met:
            bare.heartbeats.ok &&
            r.heartbeats.value.okPerSecond >= 0.5 * bare.heartbeats.value.okPerSecond &&
            (r.heartbeats.value.p99 ?? Infinity) < 20 &&
            answersClean(r.heartbeats.value),
          short: [
            ...(bare.heartbeats.ok ? under("rate", (r.heartbeats.value.okPerSecond / bare.heartbeats.value.okPerSecond) * 100, 50, " % of bare") : []),
            ...over("p99", r.heartbeats.value.p99, 20, " ms"),
          ],
        }
      : failed(r.heartbeats.reason),
  );
  row(
    r.soak.ok
      ? `${r.soak.value.register.ok.toLocaleString("en-US")} TTL instances (TTL ${r.soak.value.ttlMs / 1000} s, a beat every ${r.soak.value.beatEveryMs / 1000} s) for ${r.soak.value.seconds} s`
      : "TTL soak",
    "0 false expiries",
    r.soak.ok
      ? {
          figure: `${r.soak.value.falseExpiries} false expiries (${r.soak.value.ttlExpiries} TTL expiries in all; ${r.soak.value.instancesOverTtl} instances whose client paused > TTL, longest client gap ${ms(r.soak.value.maxGapMs)})${r.soak.value.notRegistered ? `, ${r.soak.value.notRegistered} not re-registered with the TTL in time` : ""}; beats ${rate(r.soak.value.beats.okPerSecond)}, p99 ${ms(r.soak.value.beats.p99)}; ${answersLine(r.soak.value.beats)}`,
          vsBare: "",
          met: r.soak.value.falseExpiries === 0,
        }
      : failed(r.soak.reason),
  );
  row(
    `discovery of a ${result.bigService.toLocaleString("en-US")}-instance service (${result.concurrency.discoveryService} clients)`,
    "p99 < 20 ms",
    r.discoveryService.ok
      ? {
          figure: `p50 ${ms(r.discoveryService.value.p50)}, p99 ${ms(r.discoveryService.value.p99)}, ${rate(r.discoveryService.value.okPerSecond)}; ${answersLine(r.discoveryService.value)}`,
          vsBare: `p99 ${ofBare(r.discoveryService.value.p99, bare.discoveryService, (f) => f.p99, "latency")}`,
          met: (r.discoveryService.value.p99 ?? Infinity) < 20 && readsServed(r.discoveryService.value),
          short: over("p99", r.discoveryService.value.p99, 20, " ms"),
        }
      : failed(r.discoveryService.reason),
  );
  row(
    `/api/v1/discovery, whole catalog (${result.concurrency.discoveryCatalog} clients)`,
    "p99 < 150 ms",
    r.discoveryCatalog.ok
      ? {
          figure: `p50 ${ms(r.discoveryCatalog.value.p50)}, p99 ${ms(r.discoveryCatalog.value.p99)}, ${rate(r.discoveryCatalog.value.okPerSecond)}; ${answersLine(r.discoveryCatalog.value)}`,
          vsBare: `p99 ${ofBare(r.discoveryCatalog.value.p99, bare.discoveryCatalog, (f) => f.p99, "latency")} (bare answers a tiny body)`,
          met: (r.discoveryCatalog.value.p99 ?? Infinity) < 150 && readsServed(r.discoveryCatalog.value),
          short: over("p99", r.discoveryCatalog.value.p99, 150, " ms"),
        }
      : failed(r.discoveryCatalog.reason),
  );
  const apps = r.peakRss.filter((p) => p.name.startsWith("app"));
  const appSum = sum(apps.map((p) => p.rssMb));
  row(
    "app RSS, peak while the instances are held (registration to the end of the soak)",
    "<= 400 MB (each app process; the sum is shown)",
    !r.soak.ok && r.soak.reason === notRun
      ? failed(notRun)
      : apps.length
        ? {
            figure: `${apps.length > 1 ? `apps' sum ${mb(appSum)}: ` : ""}${r.peakRss.map((p) => `${p.name} ${mb(p.rssMb)}`).join(", ")}`,
            vsBare: "",
            met: apps.every((p) => (p.rssMb ?? Infinity) <= 400),
            short: apps.flatMap((p) => (p.rssMb !== null && p.rssMb <= 400 ? [] : over(p.name, p.rssMb, 400, " MB"))),
          }
        : failed("no samples"),
  );
  row(
    "idle CPU, instances held (TTL 1 h, no beats due), no requests",
    "< 5 % of a core (all processes)",
    r.idle.ok
      ? (() => {
          const total = sum(r.idle.value.processes.map((p) => p.cpuPercent));
          return {
            figure: `${r.idle.value.processes.length > 1 ? `sum ${pct(total)}: ` : ""}${r.idle.value.processes.map((p) => `${p.name} ${pct(p.cpuPercent)}`).join(", ")} over ${r.idle.value.seconds} s`,
            vsBare: "",
            met: total !== null && total < 5,
            short: over("all processes", total, 5, " %"),
          };
        })()
      : failed(r.idle.reason),
  );
  row(
    r.mass.ok ? `mass removal of ${r.mass.value.count.toLocaleString("en-US")} instances (one etcd lease revoked)` : "mass removal (one etcd lease revoked)",
    "< 2 s, healthz p99 < 100 ms during it",
    r.mass.ok
      ? {
          figure: `${r.mass.value.clearMs === null ? `not cleared (${r.mass.value.remaining} left)` : `${(r.mass.value.clearMs / 1000).toFixed(2)} s`}; healthz p99 ${ms(r.mass.value.healthz.p99)}, max ${ms(r.mass.value.healthz.max)}, ${r.mass.value.healthz.timeouts} timeouts of ${r.mass.value.healthz.requests}; ${r.mass.value.events.health} health events, ${r.mass.value.events.failover} failover events written`,
          vsBare: "",
          met:
            r.mass.value.clearMs !== null && r.mass.value.clearMs < 2000 && (r.mass.value.healthz.p99 ?? Infinity) < 100 && r.mass.value.healthz.timeouts === 0,
          short: [
            ...over("removal", r.mass.value.clearMs === null ? null : r.mass.value.clearMs / 1000, 2, " s"),
            ...over("healthz p99", r.mass.value.healthz.p99, 100, " ms"),
          ],
        }
      : failed(r.mass.reason),
  );
  return rows;
}

function bareRow(result: TResult): string {
  const { bare } = result;
  const f = (stage: TStage<TFigures>, what: string) =>
    stage.ok ? `${what} ${rate(stage.value.okPerSecond)}, p99 ${ms(stage.value.p99)}` : `${what} ${failed(stage.reason).figure}`;
  return [f(bare.register, "POST"), f(bare.heartbeats, "PUT"), f(bare.discoveryService, "GET (service)"), f(bare.discoveryCatalog, "GET (catalog)")].join("; ");
}

export const docHeading = "## Registry: `npm run bench:registry`";

/** Each target missed, by how much: said plainly under the table. */
function missedLines(rows: TRow[]): string {
  const missed = rows.filter((r) => r.met === false);
  if (missed.length === 0) return "\nEvery target was met.\n";
  return `\nTargets missed, and by how much:\n\n${missed.map((r) => `- ${r.database}, ${r.measure}: ${r.short || r.figure}.`).join("\n")}\n`;
}

export function renderSection(result: TResult): string {
  const m = machine();
  const rows = result.databases.flatMap((database) => rowsOf(result, database));
  const table = markdownTable(
    ["measure", "target", "database", "figure", "vs bare Node", "result"],
    rows.map((r) => [r.measure, r.target, r.database, r.figure, r.vsBare, r.met === null ? "" : r.met ? "met" : "MISSED"]),
  );
  const usage = result.databases
    .map(
      (r) =>
        `- ${dbName(r)}: CPU during the soak ${r.soakCpu.map((p) => `${p.name} ${pct(p.cpuPercent)}`).join(", ") || "n/a"}.${r.phaseNotes.map((note) => `\n  ${note}.`).join("")}`,
    )
    .join("\n");
  return `${docHeading} (${result.date.slice(0, 16).replace("T", " ")} UTC)

- Machine: ${m.nproc} CPUs (\`nproc\`), ${m.model}, ${m.memoryGiB.toFixed(1)} GiB memory, Linux ${m.kernel}, Node ${m.node}.
- Command: \`${result.command}\`, commit ${result.commit.slice(0, 12)}.
- Setup (\`bench/registry/run.ts\`): SQLite is one app process with its embedded collector; PostgreSQL 15 is 3 app processes
  (\`MESHDECK_COLLECTOR=off\`) and 3 collector processes (\`collector/index.ts\`), clients spread over the apps round-robin.
  The client is a separate process (\`bench/registry/load.ts\`, undici keep-alive pools, 64 connections per app, never more
  requests in flight than connections; a request not answered within 15 s is a timeout). The ceiling is a bare
  \`node:http\` server in its own process answering a tiny JSON body, measured with the same client: ${bareRow(result)}.
- Fleet: ${result.instances} instances, one service of ${result.bigService}, the rest over ${result.services - 1} services; registered with
  TTL checks of 1 h (no beats due while discovery, heartbeat rate and idle CPU are measured), then re-registered with TTL
  10 s for the soak, each instance beaten every ${result.beatEveryMs / 1000} s from its registration; overload answers are retried as Retry-After says
  (at most 5 tries). Heartbeat rate: ${result.concurrency.heartbeats} clients beating the registered instances in turn for ${result.stageSeconds} s.
  A false expiry is a "TTL expired" health event of an instance whose client never left more than the TTL between the starts of two
  successful beats. Mass removal: ${result.massCount} keys under one lease in a real etcd (Debian), read by an etcd source, the lease
  revoked; timed until the database holds none of them, \`/api/healthz\` sampled every 20 ms meanwhile.
${usage}
- The machine's busy CPU during each phase, everything included (% of one core, of ${m.nproc * 100} %), and the 1-minute load
  average as it began: ${result.machineLoad.map((l) => `${l.phase} ${l.busyPercent.toFixed(0)} % (load ${l.loadAverage.toFixed(1)})`).join(", ")}.

${table}
${missedLines(rows)}${result.notes.length ? `\n${result.notes.map((note) => `- ${note}`).join("\n")}\n` : ""}`;
}
