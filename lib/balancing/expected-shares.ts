import { buildRing, ringShares } from "./hash-ring";
import { checkInstances } from "./pool-balancer";
import type { TBalancingPolicy } from "./policies";
import type { BalancedInstance } from "./types";

/**
 * Each instance's expected share of requests under a policy, for the UI's preview; every given id is in the map, in the
 * given order, weight 0 with share 0, and the shares add up to 1 (or are all 0 when no weight is above 0).
 * - round-robin: equal shares among the instances with weight above 0.
 * - weighted-round-robin, random: weight / total weight (exact for WRR over each cycle, in expectation for random).
 * - least-connections, p2c: weight / total weight, which is what they give when every instance is equally loaded per
 *   unit of weight; under real load they move traffic away from the slower instances.
 * - consistent-hash: the part of the hash ring each instance owns (the gateway's very ring), so the share of uniformly
 *   spread keys; it follows the weights within a few percent, and a few heavy keys can skew real traffic.
 * Throws a RangeError for a weight outside 0..10000 or an id given twice, as update() does.
 */
export function expectedShares(policy: TBalancingPolicy, instances: readonly BalancedInstance[]): Map<string, number> {
  checkInstances(instances);
  const shares = new Map<string, number>();
  if (policy === "consistent-hash") {
    const ring = ringShares(buildRing(instances), instances.length);
    instances.forEach(({ id }, i) => shares.set(id, ring[i]!));
    return shares;
  }
  const pickable = instances.filter(({ weight }) => weight > 0);
  const total = pickable.reduce((sum, { weight }) => sum + weight, 0);
  for (const { id, weight } of instances) {
    if (weight === 0) shares.set(id, 0);
    else shares.set(id, policy === "round-robin" ? 1 / pickable.length : weight / total);
  }
  return shares;
}
