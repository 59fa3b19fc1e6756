import { describe, expect, test } from "vitest";
import { createBalancer } from "./create-balancer";
import { countPicks, instancesOf, randomWeightSets } from "@/tests/support/weight-sets";

describe("round-robin", () => {
  test.each(randomWeightSets({ seed: 10, count: 30, zeroChance: 0.2 }).map((weights) => [weights]))(
    "%j: every m * n picks give each instance with weight above 0 exactly m, in a fixed order",
    (weights) => {
      const balancer = createBalancer("round-robin");
      balancer.update(instancesOf(weights));
      const n = weights.filter((weight) => weight > 0).length;
      const ids = Array.from({ length: 5 * n }, () => balancer.pick()!.id);
      const counts = countPicks(() => balancer.pick(), 7 * n);
      weights.forEach((weight, i) => expect(counts.get(`instance-${i}`) ?? 0).toBe(weight > 0 ? 7 : 0));
      for (let k = n; k < ids.length; k++) expect(ids[k]).toBe(ids[k - n]);
    },
  );

  test("a retry skips the instances tried and the turn goes on after the one picked", () => {
    const balancer = createBalancer("round-robin");
    balancer.update(instancesOf([1, 1, 1, 1]));
    expect(balancer.pick()!.id).toBe("instance-0");
    expect(balancer.pick({ exclude: new Set(["instance-1", "instance-2"]) })!.id).toBe("instance-3");
    expect(balancer.pick()!.id).toBe("instance-0");
    expect(balancer.pick({ exclude: new Set(["instance-1"]) })!.id).toBe("instance-2");
    expect(balancer.pick({ exclude: new Set(["instance-0", "instance-1", "instance-2", "instance-3"]) })).toBeUndefined();
    expect(balancer.pick()!.id).toBe("instance-3");
  });

  test("when instances leave, the turn carries on among the rest", () => {
    const balancer = createBalancer("round-robin");
    balancer.update(instancesOf([1, 1, 1, 1, 1]));
    for (let k = 0; k < 4; k++) balancer.pick();
    balancer.update(instancesOf([1, 1]));
    const counts = countPicks(() => balancer.pick(), 10);
    expect(counts).toEqual(
      new Map([
        ["instance-0", 5],
        ["instance-1", 5],
      ]),
    );
  });
});
