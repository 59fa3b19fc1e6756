import { describe, expect, test } from "vitest";
import { ownerOf } from "./rendezvous";

describe("rendezvous ownership", () => {
  const instances = Array.from({ length: 600 }, (_, i) => `instance-${i}`);
  const owners = (collectorIds: string[]) => new Map(instances.map((instanceId) => [instanceId, ownerOf({ key: instanceId, collectorIds })]));

  test("every collector gets a fair share, whatever order it is listed in", () => {
    const byOwner = new Map<string, number>();
    for (const owner of owners(["a", "b", "c"]).values()) byOwner.set(owner ?? "", (byOwner.get(owner ?? "") ?? 0) + 1);
    expect([...byOwner.keys()].sort()).toEqual(["a", "b", "c"]);
    for (const count of byOwner.values()) expect(count).toBeGreaterThan(150);
    expect(owners(["c", "a", "b"])).toEqual(owners(["a", "b", "c"]));
  });

  test("when a collector leaves, only its instances move", () => {
    const before = owners(["a", "b", "c"]);
    const after = owners(["a", "c"]);
    for (const [instanceId, owner] of before) {
      if (owner !== "b") expect(after.get(instanceId)).toBe(owner);
      else expect(["a", "c"]).toContain(after.get(instanceId));
    }
  });
});
