import { describe, expect, test } from "vitest";
import { seededRandom } from "@/tests/support/seeded-random";
import { createBalancer } from "./create-balancer";
import { expectedShares } from "./expected-shares";
import { BALANCING_POLICIES, type TBalancingPolicy } from "./policies";
import { chiSquare, countPicks, instancesOf, randomWeightSets } from "@/tests/support/weight-sets";

const sets = randomWeightSets({ seed: 80, count: 12, zeroChance: 0.2, maxTotal: 20_000 });
const cases = BALANCING_POLICIES.flatMap((policy) => sets.map((weights, i) => [policy, i, weights] as const));

// Picks the policy makes when every instance is equally loaded: each request ends before the next one starts.
function empiricalCounts(policy: TBalancingPolicy, weights: readonly number[], picks: number, seed: number) {
  const balancer = createBalancer(policy, { random: seededRandom(seed) });
  balancer.update(instancesOf(weights));
  let k = 0;
  return countPicks(() => {
    const instance = balancer.pick({ key: `request-${k++}` });
    if (instance) {
      balancer.acquire(instance.id);
      balancer.release(instance.id);
    }
    return instance;
  }, picks);
}

describe("expectedShares", () => {
  test.each(cases)("%s, set %i (%j): one share per id in order, 0 for weight 0, adding up to 1", (policy, _, weights) => {
    const shares = expectedShares(policy, instancesOf(weights));
    expect([...shares.keys()]).toEqual(weights.map((_, i) => `instance-${i}`));
    weights.forEach((weight, i) => {
      if (weight === 0) expect(shares.get(`instance-${i}`)).toBe(0);
      else expect(shares.get(`instance-${i}`)).toBeGreaterThan(0);
    });
    expect([...shares.values()].reduce((sum, share) => sum + share, 0)).toBeCloseTo(1, 12);
  });

  test.each(cases)("%s, set %i (%j): matches the shares of the balancer's own picks", (policy, i, weights) => {
    const shares = expectedShares(policy, instancesOf(weights));
    const pickable = weights.filter((weight) => weight > 0);
    const total = pickable.reduce((sum, weight) => sum + weight, 0);
    if (policy === "round-robin" || policy === "weighted-round-robin" || policy === "least-connections") {
      // Deterministic policies give the shares exactly over each cycle.
      const cycle = policy === "round-robin" ? pickable.length : total;
      const counts = empiricalCounts(policy, weights, 2 * cycle, i);
      shares.forEach((share, id) => expect(counts.get(id) ?? 0).toBeCloseTo(2 * cycle * share, 9));
    } else {
      const picks = 100_000;
      const { statistic, limit } = chiSquare(empiricalCounts(policy, weights, picks, 800 + i), shares, picks);
      expect(statistic).toBeLessThan(limit);
    }
  });

  test.each(BALANCING_POLICIES)("%s: no instances give an empty map, all at weight 0 give shares of 0", (policy) => {
    expect(expectedShares(policy, [])).toEqual(new Map());
    expect(expectedShares(policy, instancesOf([0, 0]))).toEqual(
      new Map([
        ["instance-0", 0],
        ["instance-1", 0],
      ]),
    );
  });

  test.each([
    [[{ id: "a", weight: 1.5 }], "instance a: weight must be an integer between 0 and 10000, got 1.5"],
    [[{ id: "a", weight: -1 }], "instance a: weight must be an integer between 0 and 10000, got -1"],
    [[{ id: "a", weight: 10_001 }], "instance a: weight must be an integer between 0 and 10000, got 10001"],
    [[{ id: "a", weight: Number.NaN }], "instance a: weight must be an integer between 0 and 10000, got NaN"],
    [
      [
        { id: "a", weight: 1 },
        { id: "a", weight: 2 },
      ],
      "instance a is given twice",
    ],
  ])("refuses %j", (instances, message) => {
    expect(() => expectedShares("random", instances)).toThrow(new RangeError(message));
  });
});
