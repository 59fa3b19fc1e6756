import { describe, expect, test } from "vitest";
import { computeStatus, type TStatusInput } from "./compute-status";
import { defaultObjectives, objectivesOf } from "./objectives";

const signals = (rps: number | null, errorRate: number | null, p99: number | null) => ({ rps, errorRate, p50: null, p95: null, p99 });
const input = (changes: Partial<TStatusInput> = {}): TStatusInput => ({
  objectives: defaultObjectives,
  instances: { total: 3, enabled: 3, critical: 0 },
  outage: false,
  signals: signals(20, 0.001, 120),
  availability: 1,
  ...changes,
});

describe("a service's status from its signals and instances", () => {
  test.each<[string, Partial<TStatusInput>, string, string]>([
    ["within every objective", {}, "healthy", "objectives met"],
    ["the demo's orders: ~5 % errors, ~900 ms p99", { signals: signals(12, 0.05, 900) }, "degraded", "errors 5 % > 1 %; p99 900 ms > 500 ms"],
    ["errors just over 1 %", { signals: signals(12, 0.011, 100) }, "degraded", "errors 1.1 % > 1 %"],
    ["errors exactly at the objective", { signals: signals(12, 0.01, 500) }, "healthy", "objectives met"],
    ["probes failing too often", { availability: 0.99 }, "degraded", "availability 99 % < 99.5 %"],
    ["one of three instances critical", { instances: { total: 3, enabled: 3, critical: 1 } }, "degraded", "1 of 3 instances critical"],
    ["two of three instances critical", { instances: { total: 3, enabled: 3, critical: 2 } }, "failing", "2 of 3 instances critical"],
    ["an outage open", { outage: true, signals: signals(0, null, null) }, "failing", "outage: no instance takes traffic"],
    ["an outage wins over missed objectives", { outage: true, signals: signals(5, 0.5, 2000) }, "failing", "outage: no instance takes traffic"],
    ["no instance", { instances: { total: 0, enabled: 0, critical: 0 }, outage: true }, "idle", "no instance registered"],
    ["every instance drained", { instances: { total: 2, enabled: 0, critical: 0 }, signals: signals(0, null, null) }, "idle", "every instance drained"],
    ["measured with no requests", { signals: signals(0, null, null) }, "idle", "no requests"],
    ["no metrics scraped, checks passing", { signals: signals(null, null, null), availability: null }, "healthy", "checks passing; no metrics scraped"],
  ])("%s: %s", (_name, changes, status, reason) => {
    expect(computeStatus(input(changes))).toMatchObject({ status, reason });
  });

  test("an operator's objectives replace the defaults: 5 % errors and 1 s p99 allowed", () => {
    const objectives = objectivesOf({ errorRateObjective: 0.06, p99ObjectiveMs: 1000, availabilityObjective: null });
    expect(objectives).toEqual({ errorRate: 0.06, p99Ms: 1000, availability: defaultObjectives.availability });
    expect(computeStatus(input({ objectives, signals: signals(12, 0.05, 900) })).status).toBe("healthy");
  });

  test("least healthy ranks first", () => {
    const ranks = [input({ outage: true }), input({ availability: 0.5 }), input(), input({ signals: signals(0, null, null) })].map(
      (one) => computeStatus(one).rank,
    );
    expect(ranks).toEqual([0, 1, 2, 3]);
  });
});
