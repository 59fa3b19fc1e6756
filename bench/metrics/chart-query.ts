// The server time of a 24 h chart of a service with 100 instances (the target: < 100 ms), on the
// migrated, empty database at DATABASE_URL, which it first fills with 24 h of rollups (seedMetrics).
import { chartWindow, getServiceChart, readSeriesRows, rollupKeyOfSeries } from "@/lib/metrics/chart/chart-query";
import { percentile } from "../shared/report";
import { seedMetrics } from "./seed";

const runs = 50;
const warmups = 5;

export async function benchChartQuery(): Promise<{ p50Ms: number; p99Ms: number; runs: number; rowsRead: number }> {
  const now = Date.now();
  // A second service it calls, so the chart's peer lookups have edge rows to go through.
  const { services } = await seedMetrics({ services: 2, instancesPerService: 100, edgesPerService: 1, hours: 24, now, prefix: "chart" });
  const service = services[0] ?? "chart-000";
  const of = { scope: "service" } as const;
  const chart = () => getServiceChart({ service, range: { preset: "24h" }, of, now });
  for (let i = 0; i < warmups; i += 1) await chart();
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    await chart();
    times.push(performance.now() - started);
  }
  const { resolution, first, to } = chartWindow({ range: { preset: "24h" }, now });
  const rowsRead = (await readSeriesRows({ key: rollupKeyOfSeries({ service, of }), resolution, from: first, to })).length;
  return { p50Ms: percentile(times, 50) ?? NaN, p99Ms: percentile(times, 99) ?? NaN, runs, rowsRead };
}
