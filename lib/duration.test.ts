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
    // Each unit carries into the next when rounding reaches it.
    [999.4, "999 ms"],
    [999.6, "1.0 s"],
    [9_949, "9.9 s"],
    [9_950, "10 s"],
    [59_499, "59 s"],
    [59_500, "1 min 0 s"],
    [119_600, "2 min 0 s"],
    [3_599_499, "59 min 59 s"],
    [3_599_500, "1 h 0 min"],
    [7_170_000, "2 h 0 min"],
    [86_369_999, "23 h 59 min"],
    [86_370_000, "1 d 0 h"],
    [171_000_000, "2 d 0 h"],
    [0, "0 ms"],
    [-5, "0 ms"],
    [Number.NaN, "0 ms"],
  ])("writes %i ms as %s", (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected);
  });
});
