import { expect, test } from "vitest";
import { describeChange, formatAuditValue } from "./describe-change";

test.each([
  ["a weight change", { weight: 100 }, { weight: 0 }, [{ key: "weight", before: "100", after: "0" }]],
  ["only the keys that changed", { weight: 100, enabled: true }, { weight: 100, enabled: false }, [{ key: "enabled", before: "true", after: "false" }]],
  [
    "a key added and one removed",
    { a: 1 },
    { b: 2 },
    [
      { key: "a", before: "1" },
      { key: "b", after: "2" },
    ],
  ],
  ["nothing changed", { weight: 5 }, { weight: 5 }, []],
  [
    "a creation lists what was made",
    null,
    { name: "ci", prefix: "mdk_abc" },
    [
      { key: "name", after: "ci" },
      { key: "prefix", after: "mdk_abc" },
    ],
  ],
  ["a removal lists what was there", { url: "https://x" }, null, [{ key: "url", before: "https://x" }]],
  ["two scalars", false, true, [{ key: null, before: "false", after: "true" }]],
  ["a scalar made", undefined, "round-robin", [{ key: null, after: "round-robin" }]],
  [
    "nested values as JSON",
    { kinds: ["failover"] },
    { kinds: ["failover", "outage"] },
    [{ key: "kinds", before: '["failover"]', after: '["failover","outage"]' }],
  ],
  ["an array against an object", [1], { a: 1 }, [{ key: null, before: "[1]", after: '{"a":1}' }]],
  ["neither side", null, null, []],
])("%s", (_, before, after, lines) => {
  expect(describeChange({ before, after })).toEqual(lines);
});

test("long values are cut short", () => {
  const value = formatAuditValue("x".repeat(200));
  expect(value).toHaveLength(80);
  expect(value.endsWith("…")).toBe(true);
});
