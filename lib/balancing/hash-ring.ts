import { murmur3, murmur3Ints } from "./hash";
import type { BalancedInstance } from "./types";

// 160 points at the default weight 100, as ketama gives a server 160 at the average weight. Fixed per unit of weight,
// not scaled to the other instances, so adding, removing or reweighting one instance moves keys only to or from it.
export const RING_POINTS_PER_WEIGHT = 1.6;
// Past 2^18 points (a total weight of 163 840) the points per weight halve, as often as needed, to bound the time and
// memory a ring takes (16 instances at weight 10 000 would want 256 000 points); crossing such a step moves about half
// of the keys, once.
export const MAX_RING_POINTS = 2 ** 18;
const RING_SIZE = 2 ** 32;
const ID_SEED = 0x9747b28c;

/** Sorted point hashes and, for each point, the index of the instance that owns it. */
export type HashRing = { readonly points: Uint32Array; readonly owners: Uint32Array };

/** Points per unit of weight for instances whose weights add up to totalWeight. */
export function ringPointsPerWeight(totalWeight: number): number {
  let perWeight = RING_POINTS_PER_WEIGHT;
  while (totalWeight * perWeight > MAX_RING_POINTS) perWeight /= 2;
  return perWeight;
}

/**
 * The ring of the instances with weight above 0. An instance has max(1, round(weight * points per weight)) points;
 * its point k sits at murmur3 of (murmur3(id), murmur3(id, seed), k), so an instance keeps its points, and
 * the lower-numbered ones when its weight drops, whatever the others do. A key belongs to the first point at or after
 * murmur3(key), wrapping round. Points that land on the same hash are ordered by id, so the ring does not depend on
 * the order the instances come in.
 */
export function buildRing(instances: readonly BalancedInstance[]): HashRing {
  const order: number[] = [];
  let totalWeight = 0;
  instances.forEach(({ weight }, i) => {
    if (weight <= 0) return;
    order.push(i);
    totalWeight += weight;
  });
  order.sort((a, b) => compareIds(instances[a]!.id, instances[b]!.id));
  const perWeight = ringPointsPerWeight(totalWeight);
  const counts = order.map((i) => Math.max(1, Math.round(instances[i]!.weight * perWeight)));
  const points = new Uint32Array(counts.reduce((sum, count) => sum + count, 0));
  const owners = new Uint32Array(points.length);
  let p = 0;
  order.forEach((i, rank) => {
    const { id } = instances[i]!;
    const a = murmur3(id);
    const b = murmur3(id, ID_SEED);
    for (let k = 0; k < counts[rank]!; k++) {
      points[p] = murmur3Ints(a, b, k);
      owners[p++] = i;
    }
  });
  return sortByHash(points, owners);
}

// A stable LSD radix sort, 11 bits a pass: the points come in id order, so points on the same hash stay in id order,
// and it is several times faster than sorting the points with a comparator or as float64 keys.
function sortByHash(points: Uint32Array, owners: Uint32Array): HashRing {
  const n = points.length;
  let from: HashRing = { points, owners };
  let to: HashRing = { points: new Uint32Array(n), owners: new Uint32Array(n) };
  const starts = new Uint32Array(2048);
  for (let shift = 0; shift < 32; shift += 11) {
    starts.fill(0);
    for (let k = 0; k < n; k++) starts[(from.points[k]! >>> shift) & 2047]!++;
    let sum = 0;
    for (let digit = 0; digit < 2048; digit++) {
      const count = starts[digit]!;
      starts[digit] = sum;
      sum += count;
    }
    for (let k = 0; k < n; k++) {
      const hash = from.points[k]!;
      const at = starts[(hash >>> shift) & 2047]!++;
      to.points[at] = hash;
      to.owners[at] = from.owners[k]!;
    }
    [from, to] = [to, from];
  }
  return from;
}

/** The first point at or after hash, wrapping to 0 past the last; the ring must not be empty. */
export function ringIndex(points: Uint32Array, hash: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (points[mid]! < hash) lo = mid + 1;
    else hi = mid;
  }
  return lo === points.length ? 0 : lo;
}

/** Each instance's share of the hash space: the arcs ending at its points (the first point also owns the wrap). */
export function ringShares(ring: HashRing, instanceCount: number): Float64Array {
  const { points, owners } = ring;
  const shares = new Float64Array(instanceCount);
  const last = points.length - 1;
  for (let k = 0; k <= last; k++) {
    const arc = k === 0 ? points[0]! + RING_SIZE - points[last]! : points[k]! - points[k - 1]!;
    shares[owners[k]!]! += arc / RING_SIZE;
  }
  return shares;
}

export function keyHash(key: string): number {
  return murmur3(key);
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
