// histogram_quantile exactly as Prometheus 2.42 computes it for classic buckets (promql/quantile.go bucketQuantile),
// so a p99 in Meshdeck is the p99 an operator gets from the same histogram in Prometheus.
import { parseNumber } from "../scrape/parse";
import type { TBuckets, TSample } from "../types";

// Scratch space reused across calls: quantiles are computed for every instance, edge and rollup row.
let bounds = new Float64Array(64);
let counts = new Float64Array(64);

/**
 * The q-quantile of cumulative buckets, interpolated linearly inside the bucket it falls in:
 * - q < 0 gives -Inf, q > 1 gives +Inf, NaN q gives NaN;
 * - NaN when the highest bound is not +Inf, when fewer than 2 distinct bounds remain, or when there are no observations;
 * - a quantile in the +Inf bucket is the second highest bound; the lowest bucket starts at 0 when its bound is
 *   positive, else its bound is the answer;
 * - buckets with equal bounds are added up, and counts that decrease are raised to the highest count below them.
 */
export function histogramQuantile(q: number, buckets: TBuckets): number {
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  let n = buckets.length;
  if (n === 0) return NaN;
  if (n > bounds.length) {
    bounds = new Float64Array(n * 2);
    counts = new Float64Array(n * 2);
  }
  const sorted = isSorted(buckets) ? buckets : buckets.slice().sort((a, b) => a[0] - b[0]);
  if (sorted[n - 1]![0] !== Infinity) return NaN;

  // coalesceBuckets: equal bounds are one bucket.
  let m = 0;
  for (let i = 0; i < n; i++) {
    const [le, count] = sorted[i]!;
    if (m > 0 && bounds[m - 1] === le) counts[m - 1]! += count;
    else {
      bounds[m] = le;
      counts[m++] = count;
    }
  }
  n = m;
  // ensureMonotonic: the envelope of the counts, written with Prometheus's comparisons so NaN counts behave the same.
  let max = counts[0]!;
  for (let i = 1; i < n; i++) {
    const count = counts[i]!;
    if (count > max) max = count;
    else if (count < max) counts[i] = max;
  }

  if (n < 2) return NaN;
  const observations = counts[n - 1]!;
  if (observations === 0) return NaN;
  let rank = q * observations;
  // sort.Search(n-1, counts[i] >= rank): the first bucket holding the rank, n-1 when none of the finite ones does.
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (!(counts[mid]! >= rank)) lo = mid + 1;
    else hi = mid;
  }
  const b = lo;
  if (b === n - 1) return bounds[n - 2]!;
  if (b === 0 && bounds[0]! <= 0) return bounds[0]!;
  let bucketStart = 0;
  const bucketEnd = bounds[b]!;
  let count = counts[b]!;
  if (b > 0) {
    bucketStart = bounds[b - 1]!;
    count -= counts[b - 1]!;
    rank -= counts[b - 1]!;
  }
  return bucketStart + (bucketEnd - bucketStart) * (rank / count);
}

function isSorted(buckets: TBuckets): boolean {
  for (let i = 1; i < buckets.length; i++) if (!(buckets[i - 1]![0] <= buckets[i]![0])) return false;
  return true;
}

/**
 * The buckets of one histogram series from its `_bucket` samples (the samples of one label set), sorted by bound.
 * Samples without a parseable `le` are skipped, as histogram_quantile skips them; equal bounds stay separate
 * entries, which histogramQuantile adds up as Prometheus does.
 */
export function bucketsFromSamples(samples: TSample[]): TBuckets {
  const buckets: TBuckets = [];
  for (const sample of samples) {
    const le = sample.labels.le;
    const bound = le === undefined ? null : parseNumber(le, 0, le.length);
    if (bound !== null) buckets.push([bound, sample.value]);
  }
  return isSorted(buckets) ? buckets : buckets.sort((x, y) => x[0] - y[0]);
}
