// Random weight sets for the balancing property tests: seeded, so a failing set can be replayed by its index.
import { seededRandom } from "@/tests/support/seeded-random";
import type { BalancedInstance } from "@/lib/balancing/types";

export type WeightSetOptions = {
  seed: number;
  count: number;
  minSize?: number;
  maxSize?: number;
  /** Largest weight; each set draws its own scale below it, so sets of small, mixed and large weights all come up. */
  maxWeight?: number;
  /** The chance that a weight is 0. */
  zeroChance?: number;
  /** Sets whose weights add up to more are drawn again, to bound the picks a cycle takes. */
  maxTotal?: number;
};

export function randomWeightSets(options: WeightSetOptions): number[][] {
  const { seed, count, minSize = 1, maxSize = 12, maxWeight = 10_000, zeroChance = 0, maxTotal = Infinity } = options;
  const random = seededRandom(seed);
  const scales = [3, 10, 100, 1000, maxWeight].filter((scale) => scale <= maxWeight);
  const sets: number[][] = [];
  while (sets.length < count) {
    const size = minSize + Math.floor(random() * (maxSize - minSize + 1));
    const scale = scales[Math.floor(random() * scales.length)]!;
    // Squared draws make one heavy instance among light ones common, the case that bunches picks.
    const weights = Array.from({ length: size }, () => (random() < zeroChance ? 0 : 1 + Math.floor(random() ** 2 * scale)));
    const total = weights.reduce((sum, weight) => sum + weight, 0);
    if (total > 0 && total <= maxTotal) sets.push(weights);
  }
  return sets;
}

export function instancesOf(weights: readonly number[]): BalancedInstance[] {
  return weights.map((weight, i) => ({ id: `instance-${i}`, weight }));
}

/** Counts per id of `picks` picks. */
export function countPicks(pick: () => BalancedInstance | undefined, picks: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let k = 0; k < picks; k++) {
    const id = pick()?.id ?? "none";
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/**
 * Pearson's chi-square of observed counts against expected shares, and the value it stays below with probability
 * 0.999 when the counts do follow the shares (Wilson-Hilferty approximation; instances with share 0 must have no picks).
 */
export function chiSquare(counts: ReadonlyMap<string, number>, shares: ReadonlyMap<string, number>, picks: number) {
  let statistic = 0;
  let degrees = -1;
  for (const [id, share] of shares) {
    if (share === 0) continue;
    const expected = share * picks;
    statistic += ((counts.get(id) ?? 0) - expected) ** 2 / expected;
    degrees++;
  }
  const z = 3.09;
  const k = Math.max(degrees, 1);
  const limit = k * (1 - 2 / (9 * k) + z * Math.sqrt(2 / (9 * k))) ** 3;
  return { statistic, limit };
}
