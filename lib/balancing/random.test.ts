import { describe, expect, test } from "vitest";
import { seededRandom } from "@/tests/support/seeded-random";
import { createBalancer } from "./create-balancer";
import { expectedShares } from "./expected-shares";
import { chiSquare, countPicks, instancesOf, randomWeightSets } from "@/tests/support/weight-sets";

const picks = 100_000;

describe("random", () => {
  test.each(randomWeightSets({ seed: 20, count: 30, zeroChance: 0.15, maxSize: 20 }).map((weights, i) => [i, weights]))(
    "set %i: shares follow the weights (chi-square, p = 0.001) for %j",
    (i, weights) => {
      const balancer = createBalancer("random", { random: seededRandom(200 + i) });
      const instances = instancesOf(weights);
      balancer.update(instances);
      const counts = countPicks(() => balancer.pick(), picks);
      const { statistic, limit } = chiSquare(counts, expectedShares("random", instances), picks);
      expect(statistic).toBeLessThan(limit);
      instances.filter(({ weight }) => weight === 0).forEach(({ id }) => expect(counts.has(id)).toBe(false));
    },
  );

  test.each(randomWeightSets({ seed: 21, count: 15, minSize: 3 }).map((weights, i) => [i, weights]))(
    "set %i: a retry draws among the instances not tried, by their weights (%j)",
    (i, weights) => {
      const balancer = createBalancer("random", { random: seededRandom(300 + i) });
      const instances = instancesOf(weights);
      balancer.update(instances);
      const exclude = new Set(["instance-0", "instance-2"]);
      const counts = countPicks(() => balancer.pick({ exclude }), picks);
      const rest = instances.filter(({ id }) => !exclude.has(id));
      const { statistic, limit } = chiSquare(counts, expectedShares("random", rest), picks);
      expect(statistic).toBeLessThan(limit);
    },
  );
});
