import { describe, expect, test } from "vitest";
import { dataPlaneEffects, previewChange, type TPreviewInstance } from "./preview";

const fleet = (...specs: [string, string, number, boolean?][]): TPreviewInstance[] =>
  specs.map(([id, health, weight, enabled = true]) => ({ id, health, weight, enabled, registeredWeight: 100, registeredEnabled: true }));

describe("previewChange", () => {
  const three = fleet(["a", "passing", 100], ["b", "passing", 100], ["c", "passing", 200]);

  test.each([
    { name: "a weight change moves shares by weight", selected: ["c"], change: { weight: 100 }, after: { a: 1 / 3, b: 1 / 3, c: 1 / 3 }, taking: 3 },
    { name: "draining one gives its share to the rest", selected: ["c"], change: { enabled: false }, after: { a: 0.5, b: 0.5, c: 0 }, taking: 2 },
    { name: "weight 0 takes an instance out of traffic", selected: ["a"], change: { weight: 0 }, after: { a: 0, b: 1 / 3, c: 2 / 3 }, taking: 2 },
    { name: "reset gives back the registered weight", selected: ["c"], change: { reset: true as const }, after: { a: 1 / 3, b: 1 / 3, c: 1 / 3 }, taking: 3 },
  ])("$name", ({ selected, change, after, taking }) => {
    const preview = previewChange({ policy: "weighted-round-robin", protectionThreshold: 0, instances: three, selected: new Set(selected), change });
    expect(preview.capacity).toEqual({ total: 3, before: 3, after: taking });
    for (const [id, share] of Object.entries(after)) expect(preview.instances.find((row) => row.id === id)?.after.share).toBeCloseTo(share, 9);
    expect(preview.instances.find((row) => row.id === "c")?.before.share).toBeCloseTo(0.5, 9);
    expect(preview.refusal).toBeNull();
  });

  test.each([
    { name: "draining every instance is an outage", instances: three, selected: ["a", "b", "c"], threshold: 0, kind: "outage" },
    {
      name: "weight 0 on the last one taking traffic is an outage",
      instances: fleet(["a", "passing", 1], ["b", "critical", 1]),
      selected: ["a"],
      threshold: 0,
      kind: "outage",
    },
    { name: "below the protection threshold", instances: three, selected: ["a", "b"], threshold: 0.5, kind: "below-threshold" },
  ])("refuses: $name", ({ instances, selected, threshold, kind }) => {
    const change = selected.length > 1 ? { enabled: false } : { weight: 0 };
    const preview = previewChange({ policy: "round-robin", protectionThreshold: threshold, instances, selected: new Set(selected), change });
    expect(preview.refusal?.kind).toBe(kind);
  });

  test.each([
    {
      name: "a change that adds capacity, even below the threshold",
      instances: fleet(["a", "passing", 100, false], ["b", "passing", 100, false], ["c", "passing", 100]),
      selected: ["a"],
      change: { enabled: true },
    },
    {
      name: "draining an instance that takes no traffic already",
      instances: fleet(["a", "critical", 100], ["b", "passing", 100]),
      selected: ["a"],
      change: { enabled: false },
    },
    { name: "exactly at the threshold", instances: fleet(["a", "passing", 1], ["b", "passing", 1]), selected: ["a"], change: { enabled: false } },
  ])("allows $name", ({ instances, selected, change }) => {
    const preview = previewChange({ policy: "p2c", protectionThreshold: 0.5, instances, selected: new Set(selected), change });
    expect(preview.refusal).toBeNull();
  });

  test("round-robin ignores weights in the shares, consistent-hash follows its ring", () => {
    const rr = previewChange({ policy: "round-robin", protectionThreshold: 0, instances: three, selected: new Set(), change: { weight: 1 } });
    expect(rr.instances.map((row) => row.after.share)).toEqual([1 / 3, 1 / 3, 1 / 3]);
    const hash = previewChange({ policy: "consistent-hash", protectionThreshold: 0, instances: three, selected: new Set(["a"]), change: { enabled: false } });
    const shares = hash.instances.map((row) => row.after.share);
    expect(shares[0]).toBe(0);
    expect(shares[1]! + shares[2]!).toBeCloseTo(1, 9);
    expect(shares[2]!).toBeGreaterThan(shares[1]!);
  });
});

describe("what a change does to the data planes driving the service", () => {
  test("a drain takes the selected server out of each backend; an enable puts it back; a weight change reweights", () => {
    const instances = [
      { id: "a", health: "passing", weight: 100, enabled: true, registeredWeight: 100, registeredEnabled: true },
      { id: "b", health: "passing", weight: 100, enabled: false, registeredWeight: 100, registeredEnabled: true },
      { id: "c", health: "passing", weight: 100, enabled: true, registeredWeight: 100, registeredEnabled: true },
    ];
    const backends = [{ dataPlane: "edge", kind: "haproxy", backend: "orders" }];
    const effects = (selected: string[], change: { weight?: number; enabled?: boolean }) =>
      dataPlaneEffects(previewChange({ policy: "weighted-round-robin", protectionThreshold: 0, instances, selected: new Set(selected), change }), backends);
    expect(effects(["a"], { enabled: false })).toEqual([{ ...backends[0], leaving: { ids: ["a"], count: 1 }, joining: { ids: [], count: 0 }, reweighted: 0 }]);
    expect(effects(["b"], { enabled: true })[0]!.joining).toEqual({ ids: ["b"], count: 1 });
    expect(effects(["a", "c"], { weight: 50 })[0]!.reweighted).toBe(2);
    expect(effects(["a"], { enabled: false }).length).toBe(1);
    expect(
      dataPlaneEffects(
        previewChange({ policy: "weighted-round-robin", protectionThreshold: 0, instances, selected: new Set(["a"]), change: { enabled: false } }),
        [],
      ),
    ).toEqual([]);
  });
});
