// The shapes shared by the metrics parser, the derivation of golden signals, storage and charts.

/**
 * One sample line: the full sample name (`x_bucket`, `x_total`...), its labels, value and optional timestamp; `key`,
 * when the parser was asked for it, is the series as written (`name{labels}`), the same from scrape to scrape.
 */
export type TSample = { name: string; labels: Record<string, string>; value: number; timestampMs?: number; key?: string };

/** A sample's labels as readers look them up: the parser's, in place in a scrape's bytes, or a plain record's. */
export type TLabelsView = {
  get(name: string): string | undefined;
  /** The label's value as a Prometheus float (a bucket's `le`); null when absent or not one. */
  number(name: string): number | null;
  /** The label set as one string, in the order written, leaving out `skip`. */
  pairs(skip: string): string;
};

export type TMetricType = "counter" | "gauge" | "histogram" | "gaugehistogram" | "summary" | "info" | "stateset" | "untyped" | "unknown";

/** A metric family as declared by # TYPE (or inferred), with every sample that belongs to it. */
export type TMetricFamily = { name: string; type: TMetricType; help?: string; unit?: string; samples: TSample[] };

/** Cumulative histogram buckets sorted by upper bound, `+Inf` (Infinity) last: what histogram_quantile takes. */
export type TBuckets = [le: number, count: number][];

/** Latency quantiles in milliseconds; null when there were no requests to measure. */
export type TQuantiles = { p50: number | null; p95: number | null; p99: number | null };

/**
 * Golden signals of one window (one scrape interval, or a merged rollup): request and error counts,
 * and latency either as histogram bucket increases (mergeable) or, from summaries, as quantiles.
 */
export type TSignals = {
  requests: number;
  errors: number;
  /** Increases of the latency histogram's cumulative buckets over the window, upper bounds in seconds. */
  buckets: TBuckets | null;
  /** Only when the source is a summary (no buckets): the client's own quantiles, in milliseconds. */
  summary: TQuantiles | null;
};

/** What one scrape of one instance yields, as increases since its previous scrape. */
export type TScrapeSignals = {
  self: TSignals;
  /** Keyed by the callee service, from client-side metrics (and Istio's source-reported ones). */
  edges: Map<string, TSignals>;
};

/** The metric names and labels read from an exposition; admin-configurable, these are the defaults. */
export type TMetricNames = {
  /** Server latency histograms or summaries, base names (without _bucket/_count/_sum), in seconds. */
  serverDuration: string[];
  /** Server request counters (the value is a count of requests), used when no duration metric has _count. */
  serverRequests: string[];
  /** Client-side latency histograms, base names, in seconds, labelled with the callee service. */
  clientDuration: string[];
  clientRequests: string[];
  /** Labels holding the HTTP status; the first present wins. 5xx counts as an error. */
  statusLabels: string[];
  /** The label naming the callee service on client-side metrics. */
  calleeLabel: string;
};

export const defaultMetricNames: TMetricNames = {
  serverDuration: ["http_request_duration_seconds", "http_server_requests_seconds", "http_server_request_duration_seconds"],
  serverRequests: ["http_requests_total", "http_server_requests_total"],
  clientDuration: ["http_client_request_duration_seconds", "http_client_requests_seconds"],
  clientRequests: ["http_client_requests_total"],
  statusLabels: ["code", "status", "status_code", "http_response_status_code"],
  calleeLabel: "peer_service",
};
