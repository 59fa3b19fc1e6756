// Prometheus from Debian as the reference scraper (started by tests/support/prometheus.ts: its own
// process group, temp dir and free port): the same targets, the same 10 s interval and 5 s timeout;
// what it did is read from its HTTP API and its own /metrics.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { startPrometheus, type TPrometheus } from "../../tests/support/prometheus";

export const prometheusBin = "/usr/bin/prometheus";
export const job = "bench";

export function prometheusVersion(): string {
  if (!existsSync(prometheusBin)) throw new Error(`${prometheusBin} not found: apt-get install prometheus`);
  const out = spawnSync(prometheusBin, ["--version"], { encoding: "utf8" });
  return /version (\S+)/.exec(`${out.stdout}${out.stderr}`)?.[1] ?? "unknown";
}

/** Meshdeck's scrape defaults (every 10 s, 5 s timeout) in Prometheus's terms; one static_configs entry per service, labelled with it. */
export function startReferencePrometheus({ targets }: { targets: { service: string; port: number }[] }): Promise<TPrometheus> {
  const byService = new Map<string, string[]>();
  for (const { service, port } of targets) byService.set(service, [...(byService.get(service) ?? []), `127.0.0.1:${port}`]);
  return startPrometheus({
    binary: prometheusBin,
    global: { scrape_interval: "10s", scrape_timeout: "5s", evaluation_interval: "1m" },
    scrapeConfigs: [
      { job_name: job, metrics_path: "/metrics", static_configs: [...byService].map(([service, list]) => ({ targets: list, labels: { service } })) },
    ],
    readyTimeoutMs: 60_000,
  });
}

/** The first value of an instant query (NaN when it is empty). */
export async function queryNumber(prometheus: TPrometheus, expr: string): Promise<number> {
  return (await prometheus.query(expr))[0]?.value ?? Number.NaN;
}

/** Prometheus's own view of its scrape loop, from its /metrics (it does not scrape itself here). */
export async function readSelfMetrics(prometheus: TPrometheus) {
  const text = await (await fetch(`${prometheus.baseUrl}/metrics`)).text();
  const value = (pattern: RegExp) => {
    const match = pattern.exec(text);
    return match ? Number(match[1]) : Number.NaN;
  };
  return {
    at: Date.now(),
    // Every scrape adds one observation of the time since that target's previous scrape.
    intervalCount: value(/^prometheus_target_interval_length_seconds_count\{interval="10s"\} (\S+)$/m),
    intervalP50: value(/^prometheus_target_interval_length_seconds\{interval="10s",quantile="0.5"\} (\S+)$/m),
    intervalP99: value(/^prometheus_target_interval_length_seconds\{interval="10s",quantile="0.99"\} (\S+)$/m),
    headSeries: value(/^prometheus_tsdb_head_series (\S+)$/m),
  };
}
