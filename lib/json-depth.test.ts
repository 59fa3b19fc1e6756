import { expect, test } from "vitest";
import { isNestedDeeperThan, MAX_JSON_DEPTH } from "./json-depth";

const nested = (depth: number) => JSON.parse("[".repeat(depth) + "]".repeat(depth)) as unknown;

test.each([
  [1, false],
  [MAX_JSON_DEPTH, false],
  [MAX_JSON_DEPTH + 1, true],
  [20_000, true],
  [500_000, true],
])("an array nested %i deep is too deep: %s", (depth, deep) => {
  expect(isNestedDeeperThan(nested(depth))).toBe(deep);
});

test("objects count like arrays, and scalars add no depth", () => {
  const value = JSON.parse('{"a":'.repeat(3) + '"x"' + "}".repeat(3)) as unknown;
  expect(isNestedDeeperThan(value, 3)).toBe(false);
  expect(isNestedDeeperThan(value, 2)).toBe(true);
  expect(isNestedDeeperThan("text", 0)).toBe(false);
});
