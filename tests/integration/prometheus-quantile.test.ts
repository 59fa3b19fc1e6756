// The same histograms, scraped by a real Prometheus (Debian's 2.42) and parsed by Meshdeck: histogram_quantile
// from Prometheus's query API and Meshdeck's histogramQuantile must agree, in the text format and in OpenMetrics.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parseExposition } from "@/lib/metrics/scrape/parse";
import { bucketsFromSamples, histogramQuantile } from "@/lib/metrics/rollup/quantile";
import type { TBuckets } from "@/lib/metrics/types";
import { startPrometheus, type TPrometheus } from "../support/prometheus";

const metric = "meshdeck_test_seconds";

// One series per shape, each reaching a different branch of Prometheus's bucketQuantile.
const shapes: Record<string, [le: string, count: number][]> = {
  typical: [
    ["0.005", 120],
    ["0.01", 340],
    ["0.025", 910],
    ["0.05", 1400],
    ["0.1", 1730],
    ["0.25", 1902],
    ["0.5", 1950],
    ["1", 1969],
    ["2.5", 1973],
    ["5", 1974],
    ["10", 1974],
    ["+Inf", 1975],
  ],
  all_in_inf: [
    ["0.1", 0],
    ["1", 0],
    ["+Inf", 7],
  ],
  all_in_first: [
    ["0.1", 7],
    ["1", 7],
    ["+Inf", 7],
  ],
  empty: [
    ["0.1", 0],
    ["1", 0],
    ["+Inf", 0],
  ],
  non_monotonic: [
    ["0.1", 10],
    ["1", 5],
    ["10", 25],
    ["100", 20],
    ["1000", 45],
    ["+Inf", 40],
  ],
  negative_bounds: [
    ["-0.2", 10],
    ["-0.1", 20],
    ["0.3", 20],
    ["+Inf", 30],
  ],
  single_finite: [
    ["0.25", 4],
    ["+Inf", 4],
  ],
  only_inf: [["+Inf", 5]],
  no_inf: [
    ["0.1", 1],
    ["1", 2],
  ],
  duplicate_bounds: [
    ["0.5", 1],
    ["1", 2],
    ["1.0", 2],
    ["+Inf", 4],
  ],
  fractional: [
    ["0.1", 0.5],
    ["0.5", 1.25],
    ["+Inf", 2.75],
  ],
  exponential: [
    ["1e-3", 3],
    ["4e-3", 9],
    ["1.6e-2", 27],
    ["6.4e-2", 81],
    ["+Inf", 90],
  ],
  large: [
    ["0.1", 4.5e12],
    ["1", 9.1e12],
    ["+Inf", 9.2e12],
  ],
};
const bucketLines = Object.values(shapes).reduce((n, buckets) => n + buckets.length, 0);

function exposition(openMetrics: boolean): string {
  const lines = [`# HELP ${metric} Histograms of every shape histogram_quantile handles.`, `# TYPE ${metric} histogram`];
  for (const [shape, buckets] of Object.entries(shapes)) {
    for (const [le, count] of buckets) lines.push(`${metric}_bucket{shape="${shape}",le="${le}"} ${count}`);
  }
  if (openMetrics) lines.push("# EOF");
  return `${lines.join("\n")}\n`;
}

const bodies = {
  text: { body: exposition(false), contentType: "text/plain; version=0.0.4; charset=utf-8" },
  openmetrics: { body: exposition(true), contentType: "application/openmetrics-text; version=1.0.0; charset=utf-8" },
};
type TJob = keyof typeof bodies;

/** Meshdeck's side, end to end: the served body through parseExposition, its buckets per shape. */
function meshdeckBuckets(job: TJob): Map<string, TBuckets> {
  const [family] = parseExposition(bodies[job].body, { openMetrics: job === "openmetrics" });
  const byShape = new Map<string, TBuckets>();
  for (const shape of Object.keys(shapes)) {
    byShape.set(shape, bucketsFromSamples(family!.samples.filter((s) => s.labels.shape === shape)));
  }
  return byShape;
}

const quantiles = [0, 0.5, 0.9, 0.95, 0.99, 1, -0.5, 1.5, Number.NaN];

function same(ours: number, theirs: number): boolean {
  if (!Number.isFinite(ours) || !Number.isFinite(theirs)) return Object.is(ours, theirs);
  return Math.abs(ours - theirs) <= 1e-9 * Math.max(Math.abs(ours), Math.abs(theirs));
}

let server: Server;
let prometheus: TPrometheus;

beforeAll(async () => {
  server = createServer((request, response) => {
    const job = request.url === "/openmetrics" ? "openmetrics" : request.url === "/metrics" ? "text" : undefined;
    if (!job) return response.writeHead(404).end();
    response.writeHead(200, { "content-type": bodies[job].contentType }).end(bodies[job].body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const target = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  prometheus = await startPrometheus({
    scrapeConfigs: [
      { job_name: "text", metrics_path: "/metrics", static_configs: [{ targets: [target] }] },
      { job_name: "openmetrics", metrics_path: "/openmetrics", static_configs: [{ targets: [target] }] },
    ],
  });
  try {
    await prometheus.waitFor(`count by (job) (${metric}_bucket)`, (result) => result.length === 2 && result.every((s) => s.value === bucketLines), 60_000);
  } catch (error) {
    // Say why a scrape failed (Prometheus's own parse error) rather than only that data never came.
    const targets = await fetch(`${prometheus.baseUrl}/api/v1/targets`).then(
      (r) => r.text(),
      () => "",
    );
    throw new Error(`${error instanceof Error ? error.message : String(error)}\ntargets: ${targets}\nlog: ${prometheus.log().slice(-2000)}`, { cause: error });
  }
}, 90_000);

afterAll(async () => {
  await prometheus?.stop();
  if (server) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe.each(Object.keys(bodies) as TJob[])("histogram_quantile: Prometheus 2.42 and Meshdeck on the %s format", (job) => {
  test.each(quantiles)("q = %s", async (q) => {
    const buckets = meshdeckBuckets(job);
    const result = await prometheus.query(`histogram_quantile(${q}, ${metric}_bucket{job="${job}"})`);
    const theirs = new Map(result.map((s) => [s.metric.shape!, s.value]));
    expect([...theirs.keys()].sort()).toEqual(Object.keys(shapes).sort());
    const rows = Object.keys(shapes).map((shape) => ({ shape, meshdeck: histogramQuantile(q, buckets.get(shape)!), prometheus: theirs.get(shape)! }));
    expect(rows.filter((row) => !same(row.meshdeck, row.prometheus))).toEqual([]);
    // Guard against a vacuous pass: the table reaches finite answers and NaN alike.
    if (q >= 0 && q <= 1) expect(rows.some((row) => Number.isFinite(row.prometheus))).toBe(true);
  });
});
