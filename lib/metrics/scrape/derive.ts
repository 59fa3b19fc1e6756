// Successive scrapes of one instance turned into golden signals: increases over each scrape interval.
import { haproxyBackend, haproxyBackendResponses, haproxyFrontend, haproxyFrontendResponses, haproxyStatusLabels } from "./haproxy";
import { istioCallee, istioDuration, istioInbound, istioRequests, istioStatusLabels, istioUnitsPerSecond } from "./istio";
import { CounterIncreases } from "./counter-increases";
import { emptySignals } from "../signals";
import type { TBuckets, TLabelsView, TMetricFamily, TMetricNames, TScrapeSignals, TSignals } from "../types";
import { parseNumber, scanExposition, type TSampleReader } from "./parse";

type TPart = "bucket" | "count" | "quantile" | "counter";

const quantileIndex = new Map([
  [0.5, 0],
  [0.95, 1],
  [0.99, 2],
]);

/** What one group (the instance itself, or one callee) accumulates during one scrape. */
class Tally {
  requests = 0;
  errors = 0;
  /** Set by a `_count` or counter series: a group with only buckets or quantiles is not a measurement. */
  counted = false;
  /** Per bucket bound, its increase in the scrape stamped `scrape`: kept between scrapes, so no map grows anew. */
  private readonly buckets = new Map<number, { count: number; scrape: number }>();
  private bucketCount = 0;
  private scrape = 0;
  /** Summaries: the client's [p50, p95, p99] in ms, and the request increase, per label set. */
  quantiles: Map<string, number[]> | null = null;
  weights: Map<string, number> | null = null;

  reset() {
    this.requests = 0;
    this.errors = 0;
    this.counted = false;
    if (this.buckets.size > maxBounds) this.buckets.clear();
    this.bucketCount = 0;
    this.scrape++;
    this.quantiles = null;
    this.weights = null;
  }

  addBucket(bound: number, increase: number) {
    const bucket = this.buckets.get(bound);
    if (bucket === undefined) this.buckets.set(bound, { count: increase, scrape: this.scrape });
    else if (bucket.scrape === this.scrape) return void (bucket.count += increase);
    else {
      bucket.count = increase;
      bucket.scrape = this.scrape;
    }
    this.bucketCount++;
  }

  toSignals(): TSignals {
    const buckets = this.bucketCount > 0 ? this.sortedBuckets() : null;
    return { requests: this.requests, errors: this.errors, buckets, summary: buckets ? null : this.summary() };
  }

  // Bounds come in order (a target lists its buckets ascending): an insertion sort is one pass, with no copy.
  private sortedBuckets(): TBuckets {
    const sorted: TBuckets = [];
    this.buckets.forEach(({ count, scrape }, le) => {
      if (scrape !== this.scrape) return;
      const bucket: [number, number] = [le, count];
      let i = sorted.length;
      for (; i > 0 && sorted[i - 1]![0] > le; i--) sorted[i] = sorted[i - 1]!;
      sorted[i] = bucket;
    });
    return sorted;
  }

  // Request-weighted average of each label set's quantile: an approximation, as quantiles don't add up.
  private summary(): TSignals["summary"] {
    if (!this.quantiles) return null;
    const [p50, p95, p99] = [0, 1, 2].map((k) => {
      let sum = 0;
      let weight = 0;
      for (const [set, values] of this.quantiles!) {
        const w = this.weights?.get(set) ?? 0;
        const v = values[k] ?? Number.NaN;
        if (w > 0 && Number.isFinite(v)) [sum, weight] = [sum + v * w, weight + w];
      }
      return weight > 0 ? sum / weight : null;
    });
    return { p50: p50 ?? null, p95: p95 ?? null, p99: p99 ?? null };
  }
}

// Groups kept between scrapes, per reader, and bucket bounds per group: past this many (callees or bounds come and
// go), they start over.
const maxGroups = 100;
const maxBounds = 200;

/** One metric read for one purpose: which series it takes, grouped how, in which unit. */
class Reader {
  readonly groups = new Map<string, Tally>();
  constructor(
    readonly metric: string,
    /** "" for the instance itself, the callee for an edge, null to skip the series. */
    readonly groupOf: (labels: TLabelsView) => string | null,
    readonly statusLabels: readonly string[],
    readonly unitsPerSecond = 1,
  ) {}

  // A scrape's tallies are reset, not made anew: the groups (the instance, its callees) stay from scrape to scrape.
  reset() {
    if (this.groups.size > maxGroups) this.groups.clear();
    for (const tally of this.groups.values()) tally.reset();
  }

  tally(group: string): Tally {
    let tally = this.groups.get(group);
    if (!tally) this.groups.set(group, (tally = new Tally()));
    return tally;
  }
}

type TBinding = { part: TPart; readers: Reader[] };

/** A sample's labels from a plain record (samples read back from Prometheus), looked up as the parser's are. */
class RecordLabels implements TLabelsView {
  record: Record<string, string> = {};

  get(name: string): string | undefined {
    return this.record[name];
  }

  number(name: string): number | null {
    const value = this.record[name];
    return value === undefined ? null : parseNumber(value, 0, value.length);
  }

  pairs(skip: string): string {
    let pairs = "";
    for (const name in this.record) if (name !== skip) pairs += `${name}\u0000${this.record[name]}\u0001`;
    return pairs;
  }
}

function isError(labels: TLabelsView, statusLabels: readonly string[]): boolean {
  for (const name of statusLabels) {
    const status = labels.get(name);
    // 5xx, or "0": no answer at all (refused, reset, timed out), as Istio and the demo record it.
    if (status !== undefined) return status.startsWith("5") || status === "0";
  }
  return false;
}

/**
 * One per scraped instance, kept between scrapes. The instance's own signals come from the first
 * server duration metric present, else the first server request counter, else Istio's
 * destination-reported series, else HAProxy's frontends. Edges come, per callee, from the first client
 * duration metric, client counter, Istio source-reported series or HAProxy backend that names it. Series keys are the
 * series' text as the target wrote it (the parser's `key`; else the name and label pairs in order), which a target
 * keeps from scrape to scrape, so nothing is sorted (a target that reorders labels would have each series counted
 * once more as new).
 */
export class InstanceSignals {
  private readonly bindings = new Map<string, TBinding>();
  /** In precedence order: the first that measured something wins. */
  private readonly selfReaders: Reader[] = [];
  /** In precedence order, per callee: a callee seen by an earlier reader ignores the later ones. */
  private readonly edgeReaders: Reader[] = [];
  private readonly counters = new CounterIncreases();
  private lastAtMs: number | null = null;
  private lastIntervalMs: number | null = null;
  private lastSelfMetric: string | null = null;

  constructor(names: TMetricNames) {
    const self = () => "";
    const callee = (labels: TLabelsView) => labels.get(names.calleeLabel) || null;
    for (const base of names.serverDuration) this.selfReaders.push(this.duration(base, self, names.statusLabels));
    for (const name of names.serverRequests) this.selfReaders.push(this.counter(name, self, names.statusLabels));
    this.selfReaders.push(this.duration(istioDuration, istioInbound, istioStatusLabels, istioUnitsPerSecond));
    this.selfReaders.push(this.counter(istioRequests, istioInbound, istioStatusLabels));
    this.selfReaders.push(this.counter(haproxyFrontendResponses, haproxyFrontend, haproxyStatusLabels));
    for (const base of names.clientDuration) this.edgeReaders.push(this.duration(base, callee, names.statusLabels));
    for (const name of names.clientRequests) this.edgeReaders.push(this.counter(name, callee, names.statusLabels));
    this.edgeReaders.push(this.duration(istioDuration, istioCallee, istioStatusLabels, istioUnitsPerSecond));
    this.edgeReaders.push(this.counter(istioRequests, istioCallee, istioStatusLabels));
    this.edgeReaders.push(this.counter(haproxyBackendResponses, haproxyBackend, haproxyStatusLabels));
  }

  /** Whether a sample of this name is read at all: the parser leaves the others out. */
  readonly reads = (sampleName: string): boolean => this.bindings.has(sampleName);

  /** The time between the last two scrapes, to turn increases into rates; null before the second. */
  get intervalMs(): number | null {
    return this.lastIntervalMs;
  }

  /** The metric the instance's own signals came from in the last scrape; null if none matched. */
  get selfMetric(): string | null {
    return this.lastSelfMetric;
  }

  /** Series whose last value is kept: only those of the metrics read, and only while the target lists them. */
  get seriesCount(): number {
    return this.counters.size;
  }

  // Each read sample of a scrape, straight from the parser: no sample or label objects are made for it.
  private readonly reader: TSampleReader = {
    reads: this.reads,
    sample: (sample) => {
      const binding = this.bindings.get(sample.name);
      if (!binding) return;
      const increase = binding.part === "quantile" ? 0 : this.counters.increaseAt(sample.bytes, sample.keyStart, sample.keyEnd, sample.value);
      this.take(binding, sample.labels, sample.value, increase, sample.type !== "histogram");
    },
  };
  private readonly recordLabels = new RecordLabels();

  /**
   * A scrape's body, parsed as it is read: the increases since the previous scrape; null on the first, which only
   * sets the baseline. A body that does not parse throws a MetricsParseError and changes nothing.
   */
  scrape(body: Uint8Array, { openMetrics, atMs }: { openMetrics: boolean; atMs: number }): TScrapeSignals | null {
    this.begin();
    scanExposition(body, { openMetrics, reader: this.reader });
    return this.end(atMs);
  }

  /** The increases since the previous call, from parsed families (or Prometheus's); null on the first. */
  next(families: TMetricFamily[], atMs: number): TScrapeSignals | null {
    this.begin();
    const labels = this.recordLabels;
    for (const family of families) {
      // Only summaries pair quantiles with their _count; histograms skip that bookkeeping.
      const summaryLike = family.type !== "histogram";
      for (const sample of family.samples) {
        const binding = this.bindings.get(sample.name);
        if (!binding) continue;
        labels.record = sample.labels;
        const key = binding.part === "quantile" ? "" : (sample.key ?? `${sample.name}\u0002${labels.pairs("quantile")}`);
        this.take(binding, labels, sample.value, binding.part === "quantile" ? 0 : this.counters.increase(key, sample.value), summaryLike);
      }
    }
    labels.record = {};
    return this.end(atMs);
  }

  private begin() {
    this.counters.begin();
    for (const reader of this.selfReaders) reader.reset();
    for (const reader of this.edgeReaders) reader.reset();
  }

  private end(atMs: number): TScrapeSignals | null {
    this.counters.end();
    const baseline = this.lastAtMs;
    this.lastIntervalMs = baseline === null ? null : atMs - baseline;
    this.lastAtMs = atMs;
    if (baseline === null) return null;
    return { self: this.selfSignals(), edges: this.edgeSignals() };
  }

  private selfSignals(): TSignals {
    for (const reader of this.selfReaders) {
      const tally = reader.groups.get("");
      if (tally?.counted) {
        this.lastSelfMetric = reader.metric;
        return tally.toSignals();
      }
    }
    this.lastSelfMetric = null;
    return emptySignals();
  }

  private edgeSignals(): Map<string, TSignals> {
    const edges = new Map<string, TSignals>();
    for (const reader of this.edgeReaders) {
      for (const [callee, tally] of reader.groups) if (tally.counted && !edges.has(callee)) edges.set(callee, tally.toSignals());
    }
    return edges;
  }

  private take({ part, readers }: TBinding, labels: TLabelsView, value: number, increase: number, summaryLike: boolean): void {
    // Summaries pair each label set's quantiles with its _count: only they need the label pairs without `quantile`.
    const pairs = part === "quantile" || (part === "count" && summaryLike) ? labels.pairs("quantile") : "";
    for (const reader of readers) {
      const group = reader.groupOf(labels);
      if (group === null) continue;
      const tally = reader.tally(group);
      if (part === "bucket") {
        const le = labels.number("le");
        // Dividing by 1 would make a new number to key the bucket by.
        const bound = le === null ? Number.NaN : reader.unitsPerSecond === 1 ? le : le / reader.unitsPerSecond;
        if (!Number.isNaN(bound)) tally.addBucket(bound, increase);
      } else if (part === "quantile") {
        const k = quantileIndex.get(labels.number("quantile") ?? Number.NaN);
        if (k === undefined) continue;
        const values = (tally.quantiles ??= new Map<string, number[]>()).get(pairs) ?? [Number.NaN, Number.NaN, Number.NaN];
        values[k] = (value * 1000) / reader.unitsPerSecond;
        tally.quantiles.set(pairs, values);
      } else {
        tally.counted = true;
        tally.requests += increase;
        if (isError(labels, reader.statusLabels)) tally.errors += increase;
        if (part === "count" && summaryLike) (tally.weights ??= new Map()).set(pairs, increase);
      }
    }
  }

  private bind(sampleName: string, part: TPart, reader: Reader): void {
    const binding = this.bindings.get(sampleName);
    if (!binding) this.bindings.set(sampleName, { part, readers: [reader] });
    // A name configured twice in different roles (a duration base and a counter) keeps its first role.
    else if (binding.part === part) binding.readers.push(reader);
  }

  private duration(base: string, groupOf: Reader["groupOf"], statusLabels: readonly string[], unitsPerSecond = 1): Reader {
    const reader = new Reader(base, groupOf, statusLabels, unitsPerSecond);
    this.bind(`${base}_bucket`, "bucket", reader);
    this.bind(`${base}_count`, "count", reader);
    this.bind(base, "quantile", reader);
    return reader;
  }

  private counter(name: string, groupOf: Reader["groupOf"], statusLabels: readonly string[]): Reader {
    const reader = new Reader(name, groupOf, statusLabels);
    this.bind(name, "counter", reader);
    // OpenMetrics writes a counter's samples with `_total` whether or not the configured name has it.
    if (!name.endsWith("_total")) this.bind(`${name}_total`, "counter", reader);
    return reader;
  }
}
