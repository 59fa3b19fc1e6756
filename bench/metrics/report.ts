// Figures, targets and the docs/benchmarks.md section for the metrics benchmark.
import { machine, markdownTable, renderTargetList } from "../shared/report";

export const docHeading = "## Metrics collection";

export type TScraperSide = {
  cpuPercent: number | null;
  rssMb: { peak: number; mean: number; atStart: number; atEnd: number } | null;
  /** Scrapes the targets answered for this scraper in the steady window, and how many 10 s rounds make it complete. */
  scrapesServed: number;
  /** The fewest and most one target answered in the window. */
  perTarget: { min: number; max: number };
};

export type TQuery = { p50Ms: number; p99Ms: number; runs: number; [key: string]: number } | { error: string };

/** One service's figures over the whole window from both scrapers: requests, p50 and p99 in ms. */
export type TFigures = { service: string; meshdeck: TServiceFigures; prometheus: TServiceFigures };
type TServiceFigures = { requests: number; p50Ms: number; p99Ms: number };

export type TResult = {
  date: string;
  /** Meshdeck's service rows against Prometheus's histogram_quantile over increase(), for a few services. */
  figures: TFigures[];
  command: string;
  database: string;
  targets: number;
  targetProcesses: number;
  services: number;
  edges: number;
  payload: { bytes: number; series: number };
  warmupSeconds: number;
  steadySeconds: number;
  expectedScrapes: number;
  meshdeck: TScraperSide & {
    /** 10 s instance rows written for the whole windows inside the steady window: total, per window fewest. */
    instanceRows: { windows: number; total: number; minPerWindow: number };
    serviceRows: number;
    edgeRows: number;
    /** Instances whose last scrape failed, or is older than 20 s, when the window ended. */
    failedAtEnd: number;
    staleAtEnd: number;
    scrapeMs: { p50: number | null; p99: number | null };
    loop: { median: number | null; max: number } | null;
    postgresCpuPercent: number | null;
  };
  prometheus: TScraperSide & {
    version: string;
    upAtEnd: number;
    /** `up` samples in the window: scrapes attempted, and the successful ones. */
    upSamples: number;
    upSuccesses: number;
    samplesPerScrape: number;
    headSeries: number;
    interval: { p50: number; p99: number };
    scrapeMs: { p50: number; p99: number };
  };
  targetsCpuPercent: number | null;
  runnerCpuPercent: number;
  othersCpuPercent: number;
  chart: TQuery;
  topology: TQuery;
  notes: string[];
};

const ratio = (a: number | null | undefined, b: number | null | undefined) => (a == null || b == null || b === 0 ? null : a / b);
const pct = (value: number | null) => (value === null ? "n/a" : `${value.toFixed(1)} %`);
const x = (value: number | null) => (value === null ? "n/a" : `${value.toFixed(2)}x`);
const mb = (value: number | undefined) => (value === undefined ? "n/a" : `${value.toFixed(0)} MB`);
const ms = (value: number | null | undefined) =>
  value == null || Number.isNaN(value) ? "n/a" : value < 10 ? `${value.toFixed(1)} ms` : `${Math.round(value)} ms`;
const queryText = (q: TQuery) => ("error" in q ? `not run: ${q.error}` : `p50 ${ms(q.p50Ms)}, p99 ${ms(q.p99Ms)} (${q.runs} runs)`);

/** A side scraped everything when every target answered it every 10 s of the window (one round of slack for the edges). */
function complete(side: TScraperSide, result: TResult) {
  return side.perTarget.min >= Math.floor(result.steadySeconds / 10) - 1;
}

const difference = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)));
function maxDifference(figures: TFigures[]): number {
  const all = figures.flatMap(({ meshdeck: m, prometheus: p }) => [
    difference(m.requests, p.requests),
    difference(m.p50Ms, p.p50Ms),
    difference(m.p99Ms, p.p99Ms),
  ]);
  return all.some(Number.isNaN) ? Infinity : Math.max(0, ...all);
}

/** The figures as a table: Meshdeck / Prometheus per service. */
export function renderFigures(figures: TFigures[]): string {
  const pair = (a: number, b: number, unit: string) => `${a.toFixed(unit ? 1 : 0)}${unit} / ${b.toFixed(unit ? 1 : 0)}${unit}`;
  return markdownTable(
    ["service, whole window", "requests, Meshdeck / Prometheus", "p50", "p99"],
    figures.map(({ service, meshdeck: m, prometheus: p }) => [
      service,
      pair(m.requests, p.requests, ""),
      pair(m.p50Ms, p.p50Ms, " ms"),
      pair(m.p99Ms, p.p99Ms, " ms"),
    ]),
  );
}

const notRun = (query: TQuery) => "error" in query && query.error === "--no-queries";

export function evaluate(result: TResult) {
  const cpuRatio = ratio(result.meshdeck.cpuPercent, result.prometheus.cpuPercent);
  const rssRatio = ratio(result.meshdeck.rssMb?.peak, result.prometheus.rssMb?.peak);
  const bothComplete = complete(result.meshdeck, result) && complete(result.prometheus, result) && result.meshdeck.failedAtEnd === 0;
  const queryMet = (q: TQuery, limit: number) => !("error" in q) && q.p99Ms < limit;
  const targets = [
    {
      name: "Meshdeck collector CPU <= 1x Prometheus's, both scraping every target every 10 s",
      value: `${pct(result.meshdeck.cpuPercent)} vs ${pct(result.prometheus.cpuPercent)} (${x(cpuRatio)})${bothComplete ? "" : "; scrapes incomplete"}`,
      met: bothComplete && cpuRatio !== null && cpuRatio <= 1,
    },
    {
      name: "the same figures: per service over the window, requests, p50 and p99 within 10 % of Prometheus's histogram_quantile",
      value: `${result.figures.length} services, largest difference ${(maxDifference(result.figures) * 100).toFixed(1)} %`,
      met: result.figures.length > 0 && maxDifference(result.figures) <= 0.1,
    },
    // Queries left out with --no-queries are neither met nor missed.
    ...(notRun(result.chart) ? [] : [{ name: "24 h service chart query < 100 ms (p99)", value: queryText(result.chart), met: queryMet(result.chart, 100) }]),
    ...(notRun(result.topology)
      ? []
      : [{ name: "topology query, 300 services, < 200 ms (p99)", value: queryText(result.topology), met: queryMet(result.topology, 200) }]),
  ];
  return { cpuRatio, rssRatio, targets };
}

export function renderTable(result: TResult): string {
  const { meshdeck: m, prometheus: p } = result;
  const { cpuRatio, rssRatio } = evaluate(result);
  const rss = (side: TScraperSide, key: "peak" | "mean" | "atStart" | "atEnd") => mb(side.rssMb?.[key]);
  const rows = [
    [`CPU, % of one core, ${result.steadySeconds} s steady`, pct(m.cpuPercent), pct(p.cpuPercent), x(cpuRatio)],
    ["RSS peak", rss(m, "peak"), rss(p, "peak"), x(rssRatio)],
    [
      "RSS mean (window start -> end)",
      `${rss(m, "mean")} (${rss(m, "atStart")} -> ${rss(m, "atEnd")})`,
      `${rss(p, "mean")} (${rss(p, "atStart")} -> ${rss(p, "atEnd")})`,
      x(ratio(m.rssMb?.mean, p.rssMb?.mean)),
    ],
    [`scrapes answered by the targets (expected ${result.expectedScrapes})`, String(m.scrapesServed), String(p.scrapesServed), ""],
    ["per target in the window, fewest / most", `${m.perTarget.min} / ${m.perTarget.max}`, `${p.perTarget.min} / ${p.perTarget.max}`, ""],
    [
      "scrape duration p50 / p99",
      `${ms(m.scrapeMs.p50)} / ${ms(m.scrapeMs.p99)} (last scrape of each)`,
      `${ms(p.scrapeMs.p50)} / ${ms(p.scrapeMs.p99)} (\`scrape_duration_seconds\`)`,
      "",
    ],
  ];
  return markdownTable(["", "Meshdeck collector", `Prometheus ${p.version}`, "Meshdeck / Prometheus"], rows);
}

export function renderTargets(result: TResult): string {
  return renderTargetList(evaluate(result).targets);
}

export function renderSection(result: TResult): string {
  const hw = machine();
  const { meshdeck: m, prometheus: p } = result;
  const rounds = Math.floor(result.steadySeconds / 10);
  const queryFacts = (q: TQuery) =>
    "error" in q
      ? `not run (${q.error})`
      : `${queryText(q)}; ${Object.entries(q)
          .filter(([k]) => !["p50Ms", "p99Ms", "runs"].includes(k))
          .map(([k, v]) => `${k} ${v}`)
          .join(", ")}`;
  return `${docHeading}: ${result.targets} targets, Meshdeck collector vs Prometheus ${p.version} (${result.date}, ${result.database})

- Machine: ${hw.nproc} CPUs (\`nproc\`), ${hw.model}, ${hw.memoryGiB.toFixed(1)} GiB memory, Linux ${hw.kernel}, Node ${hw.node}, Prometheus ${p.version} (Debian).
- Command: \`${result.command}\`
- Targets: ${result.targets} HTTP listeners on 127.0.0.1, each its own port, served by ${result.targetProcesses} processes
  (\`bench/metrics/targets.ts\`), in ${result.services} services with ${result.edges} caller -> callee edges. Each target is a
  prom-client 15 registry rendered by prom-client itself: \`http_request_duration_seconds\` (histogram, 8 method/route/code
  label sets x 11 buckets + +Inf), \`http_requests_total\`, \`http_client_request_duration_seconds{peer_service}\` (3 callees,
  8 buckets) and the \`process_\` / \`nodejs_\` default metrics (collected once a second per process and appended: collected per
  scrape they cost the targets 7x the rest); simulated traffic (~20 requests/s per target, 1 % 5xx) moves the counts every second.
  Payload: ${result.payload.series} series, ${(result.payload.bytes / 1024).toFixed(1)} KiB per scrape
  (Prometheus counted ${p.samplesPerScrape.toFixed(0)} samples per scrape; ${p.headSeries} series in its head block).
- Meshdeck: a fresh ${result.database} database, the ${result.targets} instances registered with a 24 h TTL check (so the collector does
  no health probing: only scraping) and \`metrics: { path: "/metrics" }\`; the collector (\`collector/index.ts\`, its own process)
  at its defaults: every 10 s, 5 s timeout, 10 s rollups per instance, service and edge, 1 min compaction.
- Prometheus: the same targets in one \`static_configs\` job, \`scrape_interval: 10s\`, \`scrape_timeout: 5s\`, TSDB in a temp dir;
  started at the same moment as the collector.
- Window: ${result.warmupSeconds} s warm-up, then ${result.steadySeconds} s measured. CPU is user + system time from \`/proc/<pid>/stat\`
  of each scraper's process tree over the window, as % of one core; RSS from \`/proc/<pid>/status\`, sampled every second.
  The ${result.targetProcesses} target processes used ${pct(result.targetsCpuPercent)} (they answer both scrapers), the runner
  ${pct(result.runnerCpuPercent)}, everything else on the machine ${pct(result.othersCpuPercent)}${m.postgresCpuPercent === null ? "" : `; PostgreSQL ${pct(m.postgresCpuPercent)} (not counted in Meshdeck's CPU above)`}.
- Scrapes done: each target counted the scrapes it answered, by User-Agent (${rounds} rounds in the window: ${result.expectedScrapes}
  expected per scraper). Meshdeck wrote ${m.instanceRows.total} 10 s instance rows for the ${m.instanceRows.windows} whole windows inside it
  (fewest in one window: ${m.instanceRows.minPerWindow} of ${result.targets}), with ${m.serviceRows} service and ${m.edgeRows} edge rows;
  at the end ${m.failedAtEnd} instances had a failed last scrape and ${m.staleAtEnd} none in the last 20 s. Prometheus: \`up\` = 1 for
  ${p.upAtEnd} targets at the end, ${p.upSuccesses} of ${p.upSamples} \`up\` samples in the window successful; its
  \`prometheus_target_interval_length_seconds{interval="10s"}\` p50 ${p.interval.p50.toFixed(3)} s, p99 ${p.interval.p99.toFixed(3)} s.
- Collector event-loop delay (\`bench/shared/loop-monitor.mjs\`, each second's worst: median second / worst second):
  ${m.loop ? `${ms(m.loop.median)} / ${ms(m.loop.max)}` : "n/a"}.
- Queries, each in its own process on its own fresh ${result.database} database, seeded by \`bench/metrics/seed.ts\`: the 24 h service chart
  (\`bench/metrics/chart-query.ts\`) ${queryFacts(result.chart)}; the topology (\`bench/metrics/topology-query.ts\`) ${queryFacts(result.topology)}.

${renderTable(result)}

The same figures from both scrapers (Meshdeck: its 10 s service rows in the window, merged; Prometheus: \`sum(increase(..._count[w]))\` and
\`histogram_quantile(q, sum by (le) (increase(http_request_duration_seconds_bucket{service=...}[w])))\` over the same windows):

${renderFigures(result.figures)}

Targets:
${renderTargets(result)}
${result.notes.length ? `\nNotes:\n${result.notes.map((n) => `- ${n}`).join("\n")}\n` : ""}`;
}
