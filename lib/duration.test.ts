import { describe, expect, test } from "vitest";
import { formatDuration, parseDuration } from "./duration";

describe("parseDuration", () => {
  test.each([
    ["800ms", 800],
    ["1s", 1000],
    ["1.5s", 1500],
    ["2m", 120_000],
    ["1h", 3_600_000],
    ["7d", 604_800_000],
    [" 3s ", 3000],
    [250, 250],
    [0, 0],
  ] as const)("reads %j as %i ms", (input, expected) => {
    expect(parseDuration(input)).toBe(expected);
  });

  test.each(["", "1", "1w", "s", "-1s", "1 s", "abc"] as const)("refuses %j", (input) => {
    expect(parseDuration(input)).toBeNull();
  });

  test.each([-1, Number.NaN, Number.POSITIVE_INFINITY])("refuses the number %d", (input) => {
    expect(parseDuration(input)).toBeNull();
  });
});

describe("formatDuration", () => {
  test.each([
    [450, "450 ms"],
    [1500, "1.5 s"],
    [42_000, "42 s"],
    [125_000, "2 min 5 s"],
    [7_260_000, "2 h 1 min"],
    [90_000_000, "1 d 1 h"],
  ])("writes %i ms as %s", (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected);
  });
});
