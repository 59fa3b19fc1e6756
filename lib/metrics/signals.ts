// The one place golden signals are merged: instances into a service, windows into coarser windows.
import type { TBuckets, TQuantiles, TSignals } from "./types";

export function emptySignals(): TSignals {
  return { requests: 0, errors: 0, buckets: null, summary: null };
}

/**
 * Merges two cumulative bucket lists over the union of their bounds. A side without a given bound
 * contributes its count at its largest bound below it (0 if none): those requests are known to be
 * under that bound, the ones between the two bounds cannot be placed, so the merged count is a
 * lower bound there and stays exact at every bound both sides share, `+Inf` included.
 */
export function mergeBuckets(a: TBuckets, b: TBuckets): TBuckets {
  const merged: TBuckets = [];
  let i = 0;
  let j = 0;
  let countA = 0;
  let countB = 0;
  while (i < a.length || j < b.length) {
    // An exhausted side reads as +Inf so the other side supplies every remaining bound.
    const nextA = i < a.length ? a[i]![0] : Number.POSITIVE_INFINITY;
    const nextB = j < b.length ? b[j]![0] : Number.POSITIVE_INFINITY;
    const le = Math.min(nextA, nextB);
    if (i < a.length && nextA === le) countA = a[i++]![1];
    if (j < b.length && nextB === le) countB = b[j++]![1];
    merged.push([le, countA + countB]);
  }
  return merged;
}

/**
 * Request-weighted average of two sides' summary quantiles: an approximation, as summaries cannot be
 * merged exactly; the weight keeps a quiet instance from moving the result as much as a busy one.
 */
function mergeSummaries(a: TQuantiles, weightA: number, b: TQuantiles, weightB: number): TQuantiles {
  // Neither side saw requests: weigh them equally rather than divide by zero.
  const [wa, wb] = weightA + weightB > 0 ? [weightA, weightB] : [1, 1];
  const one = (x: number | null, y: number | null) => (x === null ? y : y === null ? x : (x * wa + y * wb) / (wa + wb));
  return { p50: one(a.p50, b.p50), p95: one(a.p95, b.p95), p99: one(a.p99, b.p99) };
}

/**
 * Adds `b` into `a` in place when that needs no new object: both histograms with the same bounds (a target's own
 * layout, scrape after scrape), or neither with latency. False, `a` untouched, otherwise: use addSignals.
 */
export function addSignalsInPlace(a: TSignals, b: TSignals): boolean {
  if (a.summary || b.summary) return false;
  const into = a.buckets;
  const from = b.buckets;
  if (into && from) {
    if (into.length !== from.length) return false;
    for (let i = 0; i < into.length; i++) if (into[i]![0] !== from[i]![0]) return false;
    for (let i = 0; i < into.length; i++) into[i]![1] += from[i]![1];
  } else if (into || from) return false;
  a.requests += b.requests;
  a.errors += b.errors;
  return true;
}

/**
 * Sums counts and merges latency. Buckets merge exactly; summaries by request weight (the weight is
 * the side's whole request count, which overweighs a side that mixes a histogram and a summary).
 */
export function addSignals(a: TSignals, b: TSignals): TSignals {
  const oneBuckets = a.buckets ?? b.buckets;
  const oneSummary = a.summary ?? b.summary;
  return {
    requests: a.requests + b.requests,
    errors: a.errors + b.errors,
    buckets: a.buckets && b.buckets ? mergeBuckets(a.buckets, b.buckets) : oneBuckets && oneBuckets.slice(),
    summary: a.summary && b.summary ? mergeSummaries(a.summary, a.requests, b.summary, b.requests) : oneSummary && { ...oneSummary },
  };
}
