import { describe, expect, test } from "vitest";
import { countOf } from "./plural";

describe("countOf", () => {
  test("one takes the noun, any other count its plural", () => {
    expect([0, 1, 2].map((count) => countOf(count, "item"))).toEqual(["0 items", "1 item", "2 items"]);
    expect(countOf(3, "child", "children")).toBe("3 children");
  });
});
