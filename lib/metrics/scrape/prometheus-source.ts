import "server-only";
import { queryPrometheus as query, type TPrometheusVector as TVector } from "./check-prometheus";
import type { TMetricFamily, TMetricNames, TMetricType, TSample } from "../types";
import type { TScrapeTarget } from "./scrape-targets";

const histogramSuffixes = "(_bucket|_count|_sum)?";
const istio = ["istio_requests_total", `istio_request_duration_milliseconds${histogramSuffixes}`];

/** One selector for every series the configured names need, so a cycle is a single query. */
export function selectorFor(names: TMetricNames): string {
  const histograms = [...names.serverDuration, ...names.clientDuration].map((name) => `${name}${histogramSuffixes}`);
  const counters = [...names.serverRequests, ...names.clientRequests];
  return `{__name__=~"${[...histograms, ...counters, ...istio].join("|")}"}`;
}

// The latest samples read back as the families a scrape of the instance would have given.
function toFamilies(vector: TVector): TMetricFamily[] {
  const families = new Map<string, TMetricFamily>();
  for (const { metric, value } of vector) {
    const { __name__: name = "", instance: _instance, job: _job, ...labels } = metric;
    const base = name.replace(/_(bucket|count|sum)$/, "");
    const type: TMetricType = "le" in labels ? "histogram" : "quantile" in labels ? "summary" : name.endsWith("_total") ? "counter" : "untyped";
    const family = families.get(base) ?? { name: base, type, samples: [] as TSample[] };
    if (type === "histogram" || type === "summary") family.type = type;
    family.samples.push({ name, labels, value: Number(value[1]), timestampMs: Math.round(value[0] * 1000) });
    families.set(base, family);
  }
  return [...families.values()];
}

/**
 * Reads the fleet's metrics from a Prometheus server that already scrapes it: the latest samples of
 * the configured names, matched to instances by Prometheus's `instance` label (host:port).
 */
export async function readFromPrometheus({
  url,
  names,
  timeoutMs,
  targets,
}: {
  url: string;
  names: TMetricNames;
  timeoutMs: number;
  targets: TScrapeTarget[];
}) {
  const [samples, up] = await Promise.all([query({ url, promql: selectorFor(names), timeoutMs }), query({ url, promql: "up", timeoutMs })]);
  const byAddress = new Map<string, TVector>();
  for (const sample of samples) {
    const address = sample.metric.instance ?? "";
    const list = byAddress.get(address);
    if (list) list.push(sample);
    else byAddress.set(address, [sample]);
  }
  const upByAddress = new Map(up.map((sample) => [sample.metric.instance ?? "", sample.value[1] === "1"]));
  const results = new Map<string, { families: TMetricFamily[] } | { error: string }>();
  for (const target of targets) {
    const address = `${target.host}:${target.port}`;
    const isUp = upByAddress.get(address);
    if (isUp === undefined) results.set(target.id, { error: `Prometheus does not scrape ${address}` });
    else if (!isUp) results.set(target.id, { error: `Prometheus's last scrape of ${address} failed (up == 0)` });
    else results.set(target.id, { families: toFamilies(byAddress.get(address) ?? []) });
  }
  return results;
}
