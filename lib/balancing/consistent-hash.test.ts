import { describe, expect, test } from "vitest";
import { seededRandom } from "@/tests/support/seeded-random";
import { createBalancer } from "./create-balancer";
import { expectedShares } from "./expected-shares";
import { MAX_RING_POINTS, RING_POINTS_PER_WEIGHT, ringPointsPerWeight } from "./hash-ring";
import type { BalancedInstance } from "./types";
import { chiSquare, countPicks } from "@/tests/support/weight-sets";

const keys = Array.from({ length: 10_000 }, (_, k) => `user-${k}`);

function instances(n: number, weight = 100, from = 0): BalancedInstance[] {
  return Array.from({ length: n }, (_, i) => ({ id: `orders-${from + i}`, weight }));
}

function owners(instanceList: readonly BalancedInstance[], keyList = keys): string[] {
  const balancer = createBalancer("consistent-hash");
  balancer.update(instanceList);
  return keyList.map((key) => balancer.pick({ key })!.id);
}

// How far a fraction of 10 000 keys may stray: 35% of the ring share (a few standard deviations of a share made of
// ~160 points) plus four binomial standard deviations for the keys.
function tolerance(share: number): number {
  return 0.35 * share + 4 * Math.sqrt((share * (1 - share)) / keys.length);
}

describe("consistent-hash", () => {
  test("the same key goes to the same instance, whatever order the instances come in", () => {
    const list = instances(10);
    const balancer = createBalancer("consistent-hash");
    balancer.update(list);
    const first = keys.map((key) => balancer.pick({ key })!.id);
    expect(keys.map((key) => balancer.pick({ key })!.id)).toEqual(first);
    expect(owners([...list].reverse())).toEqual(first);
  });

  const sizes = [2, 3, 5, 8, 10, 20, 50, 100];
  test.each(sizes)("when one of %i instances leaves, only its keys move, about 1/n of them", (n) => {
    const list = instances(n);
    const gone = list[Math.floor(seededRandom(n)() * n)]!.id;
    const before = owners(list);
    const after = owners(list.filter(({ id }) => id !== gone));
    const moved = keys.filter((_, k) => before[k] !== after[k]);
    expect(keys.filter((_, k) => before[k] !== after[k] && before[k] !== gone)).toEqual([]);
    expect(moved.length).toBe(before.filter((id) => id === gone).length);
    expect(Math.abs(moved.length / keys.length - 1 / n)).toBeLessThanOrEqual(tolerance(1 / n));
  });

  test.each(sizes)("when one instance joins %i, only keys that go to it move, about 1/(n+1) of them", (n) => {
    const before = owners(instances(n));
    const after = owners([...instances(n), { id: "orders-new", weight: 100 }]);
    const moved = keys.filter((_, k) => before[k] !== after[k]);
    expect(keys.filter((_, k) => before[k] !== after[k] && after[k] !== "orders-new")).toEqual([]);
    expect(Math.abs(moved.length / keys.length - 1 / (n + 1))).toBeLessThanOrEqual(tolerance(1 / (n + 1)));
  });

  test.each([
    [10, 100, 300],
    [10, 100, 20],
    [5, 500, 1000],
  ])("when one of %i instances goes from weight %i to %i, keys move only to or from it", (n, from, to) => {
    const list = instances(n, from);
    const before = owners(list);
    const after = owners(list.map((instance, i) => (i === 3 ? { ...instance, weight: to } : instance)));
    const changed = keys.filter((_, k) => before[k] !== after[k]);
    const touched = (k: number) => (to > from ? after[k] : before[k]) === "orders-3";
    expect(changed.length).toBeGreaterThan(0);
    expect(keys.filter((_, k) => before[k] !== after[k] && !touched(k))).toEqual([]);
  });

  test.each(
    Array.from({ length: 20 }, (_, i) => {
      const random = seededRandom(60 + i);
      const n = 2 + Math.floor(random() * 30);
      return [i, Array.from({ length: n }, () => 50 + Math.floor(random() * 950))] as const;
    }),
  )("set %i: each instance's part of the ring follows its weight (%j)", (_, weights) => {
    const list = weights.map((weight, i) => ({ id: `orders-${i}`, weight }));
    const total = weights.reduce((sum, weight) => sum + weight, 0);
    const shares = expectedShares("consistent-hash", list);
    list.forEach(({ id, weight }) => {
      // A share made of m points strays about 1/sqrt(m) of itself; 4 of those is the bound.
      const points = weight * ringPointsPerWeight(total);
      expect(Math.abs(shares.get(id)! / (weight / total) - 1)).toBeLessThanOrEqual(4 / Math.sqrt(points));
    });
  });

  test.each([
    ["keys", (k: number) => ({ key: `session-${k}` })],
    ["no key (random points)", () => ({})],
  ] as const)("with %s, picks follow the ring's shares (chi-square, p = 0.001)", (_, context) => {
    const list = [...instances(4, 100), ...instances(3, 250, 4), { id: "orders-big", weight: 1000 }];
    const balancer = createBalancer("consistent-hash", { random: seededRandom(70) });
    balancer.update(list);
    let k = 0;
    const counts = countPicks(() => balancer.pick(context(k++)), 100_000);
    const { statistic, limit } = chiSquare(counts, expectedShares("consistent-hash", list), 100_000);
    expect(statistic).toBeLessThan(limit);
  });

  test("a retry goes where the key would go without the instances tried", () => {
    const list = instances(10);
    const balancer = createBalancer("consistent-hash");
    balancer.update(list);
    const tried = new Set(["orders-2", "orders-7"]);
    const without = owners(list.filter(({ id }) => !tried.has(id)));
    expect(keys.map((key) => balancer.pick({ key, exclude: tried })!.id)).toEqual(without);
    expect(balancer.pick({ key: "k", exclude: new Set(list.map(({ id }) => id)) })).toBeUndefined();
  });

  test("heavy weights halve the points per weight to stay within the ring's bound, and shares still follow", () => {
    expect(ringPointsPerWeight(100 * 100)).toBe(RING_POINTS_PER_WEIGHT);
    expect(ringPointsPerWeight(163_840)).toBe(RING_POINTS_PER_WEIGHT);
    expect(ringPointsPerWeight(163_841)).toBe(RING_POINTS_PER_WEIGHT / 2);
    expect(ringPointsPerWeight(100 * 10_000) * 100 * 10_000).toBeLessThanOrEqual(MAX_RING_POINTS);
    const shares = expectedShares("consistent-hash", instances(100, 10_000));
    for (const share of shares.values()) expect(Math.abs(share * 100 - 1)).toBeLessThanOrEqual(4 / Math.sqrt(2000));
  });

  test("the hash key setting is kept on the balancer for the gateway", () => {
    expect(createBalancer("consistent-hash", { hashKey: { header: "x-user-id" } }).hashKey).toEqual({ header: "x-user-id" });
  });
});
