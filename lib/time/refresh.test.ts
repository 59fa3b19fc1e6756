import { describe, expect, test } from "vitest";
import { readRefreshChoice, refreshInterval } from "./refresh";

describe("refresh", () => {
  test.each([
    ["off", "off"],
    ["5s", "5s"],
    ["1m", "1m"],
    ["0s", null],
    ["-1s", null],
    ["__proto__", null],
    ["", null],
    [null, null],
  ])("%j reads as %j", (value, choice) => {
    expect(readRefreshChoice(value)).toBe(choice);
  });

  test.each([
    [null, 2000, 2000],
    ["off", 2000, null],
    ["30s", 2000, 30_000],
    ["5s", Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY],
  ] as const)("%s on a page polling every %i ms: %s", (choice, pageMs, expected) => {
    expect(refreshInterval({ choice, pageMs })).toBe(expected);
  });
});
