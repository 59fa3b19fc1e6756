import { describe, expect, test } from "vitest";
import { seededRandom } from "@/tests/support/seeded-random";
import { createBalancer } from "./create-balancer";
import type { Balancer } from "./types";
import { instancesOf, randomWeightSets } from "@/tests/support/weight-sets";

const loadAware = ["least-connections", "p2c"] as const;

function withLoads(balancer: Balancer, loads: readonly number[]): void {
  loads.forEach((load, i) => {
    for (let k = 0; k < load; k++) balancer.acquire(`instance-${i}`);
  });
}

/**
 * Requests arrive 4 a tick at 4 instances of equal weight; each holds its instance for 1 tick, or `slowTicks` on
 * instance-0, which a balancer sees only as in-flight counts. Returns instance-0's share of the picks.
 */
function slowInstanceShare(balancer: Balancer, slowTicks: number): number {
  balancer.update(instancesOf([100, 100, 100, 100]));
  const ticks = 2000;
  const releases: string[][] = Array.from({ length: ticks + slowTicks + 1 }, () => []);
  let slowPicks = 0;
  for (let tick = 0; tick < ticks; tick++) {
    for (const id of releases[tick]!) balancer.release(id);
    for (let r = 0; r < 4; r++) {
      const { id } = balancer.pick()!;
      balancer.acquire(id);
      const slow = id === "instance-0";
      if (slow) slowPicks++;
      releases[tick + (slow ? slowTicks : 1)]!.push(id);
    }
  }
  return slowPicks / (ticks * 4);
}

describe.each(loadAware)("%s", (policy) => {
  test("an instance whose requests last 20 times longer gets far fewer than its equal share", () => {
    const share = slowInstanceShare(createBalancer(policy, { random: seededRandom(40) }), 20);
    expect(share).toBeLessThan(0.25 / 5);
  });

  test.each(randomWeightSets({ seed: 41, count: 25, minSize: 2, maxSize: 15, maxWeight: 1000 }).map((weights, i) => [i, weights]))(
    "set %i: the most loaded instance per unit of weight is never picked, when it alone is (%j)",
    (i, weights) => {
      const random = seededRandom(400 + i);
      const balancer = createBalancer(policy, { random });
      balancer.update(instancesOf(weights));
      const loads = weights.map(() => Math.floor(random() * 20));
      withLoads(balancer, loads);
      const perWeight = loads.map((load, j) => load / weights[j]!);
      const top = Math.max(...perWeight);
      const busiest = perWeight.filter((value) => value === top).length === 1 ? `instance-${perWeight.indexOf(top)}` : undefined;
      for (let k = 0; k < 200; k++) expect(balancer.pick()!.id).not.toBe(busiest);
    },
  );

  test.each([
    // loads, weights, the instance picked
    [[0, 1], [100, 100], "instance-0"],
    [[5, 4], [100, 100], "instance-1"],
    [[3, 1], [200, 100], "instance-1"],
    [[1, 1], [200, 100], "instance-0"],
    [[2, 2], [300, 100], "instance-0"],
  ] as const)("in-flight %j with weights %j: picks %s (two instances: the less loaded per unit of weight)", (loads, weights, expected) => {
    const balancer = createBalancer(policy, { random: seededRandom(42) });
    balancer.update(instancesOf(weights));
    withLoads(balancer, loads);
    for (let k = 0; k < 20; k++) expect(balancer.pick()!.id).toBe(expected);
  });

  test("a retry goes to an instance not tried even when it is the busier one", () => {
    const balancer = createBalancer(policy, { random: seededRandom(43) });
    balancer.update(instancesOf([100, 100, 100]));
    withLoads(balancer, [0, 9, 9]);
    const ids = new Set(Array.from({ length: 50 }, () => balancer.pick({ exclude: new Set(["instance-0"]) })!.id));
    expect(ids).toEqual(new Set(["instance-1", "instance-2"]));
    expect(balancer.pick({ exclude: new Set(["instance-0", "instance-1", "instance-2"]) })).toBeUndefined();
  });
});

describe("least-connections", () => {
  test.each(randomWeightSets({ seed: 44, count: 25, minSize: 2, maxWeight: 1000 }).map((weights, i) => [i, weights]))(
    "set %i: always picks an instance with the fewest in-flight requests per unit of weight (%j)",
    (i, weights) => {
      const random = seededRandom(500 + i);
      const balancer = createBalancer("least-connections");
      balancer.update(instancesOf(weights));
      withLoads(
        balancer,
        weights.map(() => Math.floor(random() * 5)),
      );
      for (let k = 0; k < 100; k++) {
        const perWeight = weights.map((weight, j) => balancer.inFlight(`instance-${j}`) / weight);
        const { id } = balancer.pick()!;
        expect(perWeight[Number(id.slice("instance-".length))]).toBe(Math.min(...perWeight));
        balancer.acquire(id);
        if (random() < 0.5) balancer.release(`instance-${Math.floor(random() * weights.length)}`);
      }
    },
  );

  test.each(randomWeightSets({ seed: 45, count: 15, maxTotal: 5000 }).map((weights) => [weights]))(
    "%j: with nothing in flight, it is exactly smooth weighted round-robin",
    (weights) => {
      const least = createBalancer("least-connections");
      const smooth = createBalancer("weighted-round-robin");
      least.update(instancesOf(weights));
      smooth.update(instancesOf(weights));
      const total = weights.reduce((sum, weight) => sum + weight, 0);
      for (let k = 0; k < 2 * total; k++) expect(least.pick()!.id).toBe(smooth.pick()!.id);
    },
  );
});

describe("in-flight counts", () => {
  test("are kept across update() for ids that stay, start at 0 for ids that come back, and never go below 0", () => {
    const balancer = createBalancer("p2c");
    balancer.update(instancesOf([100, 100, 100]));
    withLoads(balancer, [3, 2, 1]);
    balancer.update(instancesOf([100, 50]));
    expect([balancer.inFlight("instance-0"), balancer.inFlight("instance-1"), balancer.inFlight("instance-2")]).toEqual([3, 2, 0]);
    balancer.release("instance-2");
    balancer.update(instancesOf([100, 50, 100]));
    expect(balancer.inFlight("instance-2")).toBe(0);
    for (let k = 0; k < 5; k++) balancer.release("instance-1");
    balancer.acquire("unknown");
    expect([balancer.inFlight("instance-1"), balancer.inFlight("unknown")]).toEqual([0, 0]);
  });
});
