/** Running totals of the weights: cumulative[i] = weights[0] + ... + weights[i]. */
export function cumulativeWeights(weights: readonly number[]): Float64Array {
  const cumulative = new Float64Array(weights.length);
  let sum = 0;
  for (let i = 0; i < weights.length; i++) cumulative[i] = sum += weights[i]!;
  return cumulative;
}

/** The first index whose running total is above r (r in [0, total)), by binary search; the last one if r reaches the total. */
export function drawIndex(cumulative: Float64Array, r: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid]! > r) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * A weighted draw among the indexes whose id is not excluded and that are not `skip`, in two linear passes: the path
 * of a retry, where the exclusions change every call. -1 when nothing is left.
 */
export function drawIndexExcluding(
  ids: readonly string[],
  weights: readonly number[],
  exclude: ReadonlySet<string>,
  skip: number,
  random: () => number,
): number {
  let available = 0;
  for (let i = 0; i < ids.length; i++) if (i !== skip && !exclude.has(ids[i]!)) available += weights[i]!;
  if (available === 0) return -1;
  let r = random() * available;
  let last = -1;
  for (let i = 0; i < ids.length; i++) {
    if (i === skip || exclude.has(ids[i]!)) continue;
    last = i;
    r -= weights[i]!;
    if (r < 0) return i;
  }
  // Only when rounding carried r up to the total.
  return last;
}
