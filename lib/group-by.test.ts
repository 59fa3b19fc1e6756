import { describe, expect, test } from "vitest";
import { groupBy } from "./group-by";

describe("groupBy", () => {
  test("groups items by key, keeping their order within and across groups", () => {
    const rows = [
      { s: "b", i: 1 },
      { s: "a", i: 2 },
      { s: "b", i: 3 },
    ];
    const groups = groupBy(rows, (row) => row.s);
    expect([...groups.keys()]).toEqual(["b", "a"]);
    expect(groups.get("b")!.map((row) => row.i)).toEqual([1, 3]);
    expect(groupBy([], () => "x").size).toBe(0);
  });
});
