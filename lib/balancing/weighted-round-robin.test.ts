import { describe, expect, test } from "vitest";
import { seededRandom } from "@/tests/support/seeded-random";
import { createBalancer } from "./create-balancer";
import { instancesOf, randomWeightSets } from "@/tests/support/weight-sets";

function picksOf(weights: readonly number[], picks: number): number[] {
  const balancer = createBalancer("weighted-round-robin");
  balancer.update(instancesOf(weights));
  return Array.from({ length: picks }, () => Number(balancer.pick()!.id.slice("instance-".length)));
}

// Every prefix of the sequence, against each instance's ideal share of it: how far the picks ever fall from it.
function worstDrift(sequence: readonly number[], weights: readonly number[]): number {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const counts = weights.map(() => 0);
  let worst = 0;
  sequence.forEach((i, k) => {
    counts[i]!++;
    weights.forEach((weight, j) => {
      worst = Math.max(worst, Math.abs(counts[j]! - ((k + 1) * weight) / total));
    });
  });
  return worst;
}

describe("weighted-round-robin", () => {
  test("gives nginx's sequence for {a:5, b:1, c:1}, cycle after cycle", () => {
    const balancer = createBalancer("weighted-round-robin");
    balancer.update([
      { id: "a", weight: 5 },
      { id: "b", weight: 1 },
      { id: "c", weight: 1 },
    ]);
    const sequence = Array.from({ length: 14 }, () => balancer.pick()!.id).join(" ");
    expect(sequence).toBe("a a b a c a a a a b a c a a");
  });

  test.each(randomWeightSets({ seed: 1, count: 60, maxTotal: 20_000 }).map((weights) => [weights]))(
    "%j: every cycle of total-weight picks gives each instance exactly its weight, spread out",
    (weights) => {
      const total = weights.reduce((sum, weight) => sum + weight, 0);
      const sequence = picksOf(weights, 3 * total);
      for (let cycle = 0; cycle < 3; cycle++) {
        const counts = weights.map(() => 0);
        for (const i of sequence.slice(cycle * total, (cycle + 1) * total)) counts[i]!++;
        expect(counts).toEqual(weights);
      }
      // Spread: no prefix strays 2 picks from its share (nginx's algorithm stays within ~1.2 on these sets), where
      // weighted round-robin that sends each instance its whole weight in a row strays up to w_max * (1 - w_max / total).
      expect(worstDrift(sequence, weights)).toBeLessThan(2);
      // A run of one instance is at most about twice its ideal gap, w / (total - w), plus one.
      let run = 0;
      const longRuns: string[] = [];
      sequence.forEach((i, k) => {
        run = k > 0 && sequence[k - 1] === i ? run + 1 : 1;
        const weight = weights[i]!;
        if (weight < total && run > 2 * Math.ceil(weight / (total - weight)) + 1) longRuns.push(`${run} of ${i} at ${k}`);
      });
      expect(longRuns).toEqual([]);
    },
  );

  test.each(randomWeightSets({ seed: 2, count: 30, minSize: 2, zeroChance: 0.3, maxTotal: 20_000 }).map((weights) => [weights]))(
    "%j: weight 0 is never picked",
    (weights) => {
      const total = weights.reduce((sum, weight) => sum + weight, 0);
      const picked = new Set(picksOf(weights, 2 * total));
      expect([...picked].filter((i) => weights[i] === 0)).toEqual([]);
    },
  );

  test.each(randomWeightSets({ seed: 3, count: 30, minSize: 2, maxTotal: 20_000 }).map((weights, i) => [i, weights]))(
    "set %i: after updates that change weights, ids and order at random, picks follow the new weights (%j)",
    (i, finalWeights) => {
      const random = seededRandom(100 + i);
      const balancer = createBalancer("weighted-round-robin");
      for (let round = 0; round < 6; round++) {
        const weights = round === 5 ? finalWeights : finalWeights.map(() => Math.floor(random() * 10_000));
        const instances = instancesOf(weights).filter(() => round === 5 || random() < 0.8);
        if (round < 5 && random() < 0.5) instances.reverse();
        balancer.update(instances);
        for (let k = Math.floor(random() * 500); k > 0; k--) balancer.pick();
      }
      const total = finalWeights.reduce((sum, weight) => sum + weight, 0);
      const sequence = Array.from({ length: 3 * total }, () => Number(balancer.pick()!.id.slice("instance-".length)));
      // The carried current weights are at most a pick or two behind or ahead, never a backlog from the old weights.
      expect(worstDrift(sequence, finalWeights)).toBeLessThan(3);
    },
  );

  test("a drop from weights in thousands to weights in ones hands no instance a long run", () => {
    const balancer = createBalancer("weighted-round-robin");
    balancer.update([
      { id: "a", weight: 10_000 },
      { id: "b", weight: 9_000 },
    ]);
    balancer.pick();
    balancer.update([
      { id: "a", weight: 1 },
      { id: "b", weight: 1 },
    ]);
    const ids = Array.from({ length: 6 }, () => balancer.pick()!.id);
    expect(ids.filter((id) => id === "a")).toHaveLength(3);
  });

  test("an update with the same instances leaves the sequence as it was", () => {
    const weights = [7, 3, 2, 1];
    const balancer = createBalancer("weighted-round-robin");
    balancer.update(instancesOf(weights));
    const sequence = Array.from({ length: 26 }, () => {
      balancer.update(instancesOf(weights));
      return Number(balancer.pick()!.id.slice("instance-".length));
    });
    expect(sequence).toEqual(picksOf(weights, 26));
  });

  test("an instance set to weight 0 stops getting picks at once, and the rest share by their weights", () => {
    const balancer = createBalancer("weighted-round-robin");
    balancer.update(instancesOf([3, 2, 1]));
    for (let k = 0; k < 4; k++) balancer.pick();
    balancer.update(instancesOf([3, 0, 1]));
    const ids = Array.from({ length: 40 }, () => balancer.pick()!.id);
    expect(ids).not.toContain("instance-1");
    expect(ids.filter((id) => id === "instance-0").length).toBeGreaterThanOrEqual(29);
  });

  test("a retry excludes the instances tried, and the rest keep their shares", () => {
    const balancer = createBalancer("weighted-round-robin");
    balancer.update(instancesOf([5, 3, 2]));
    const exclude = new Set(["instance-0"]);
    const ids = Array.from({ length: 50 }, () => balancer.pick({ exclude })!.id);
    expect(ids).not.toContain("instance-0");
    expect(ids.filter((id) => id === "instance-1")).toHaveLength(30);
    expect(balancer.pick({ exclude: new Set(["instance-0", "instance-1", "instance-2"]) })).toBeUndefined();
  });
});
