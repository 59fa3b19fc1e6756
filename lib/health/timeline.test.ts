import { describe, expect, test } from "vitest";
import { buildBands, computeUptime, formatUptime, type TBand, type TTimelineEvent } from "./timeline";

const e = (at: number, to: string): TTimelineEvent => ({ at, to });
const b = (state: TBand["state"], from: number, to: number): TBand => ({ state, from, to });

describe("buildBands", () => {
  test.each<[string, string | null, TTimelineEvent[], TBand[]]>([
    ["no event at all: never registered", null, [], [b("none", 0, 100)]],
    ["state carried in from before the range", "critical", [], [b("critical", 0, 100)]],
    ["registered inside the range", null, [e(40, "passing")], [b("none", 0, 40), b("passing", 40, 100)]],
    ["expiry and recovery", "passing", [e(30, "critical"), e(60, "passing")], [b("passing", 0, 30), b("critical", 30, 60), b("passing", 60, 100)]],
    ["events out of order are sorted", "passing", [e(60, "passing"), e(30, "critical")], [b("passing", 0, 30), b("critical", 30, 60), b("passing", 60, 100)]],
    ["deregistered leaves a gap", "passing", [e(50, "deregistered")], [b("passing", 0, 50), b("none", 50, 100)]],
    ["flapping changes no band", "warning", [e(20, "flapping")], [b("warning", 0, 100)]],
    ["an unheard-of state counts as unknown", "passing", [e(50, "sideways")], [b("passing", 0, 50), b("unknown", 50, 100)]],
    ["a repeated state merges", "passing", [e(50, "passing")], [b("passing", 0, 100)]],
    ["an event exactly at the start is the before state's job", "passing", [e(0, "critical")], [b("passing", 0, 100)]],
    ["an event at the end changes nothing", "passing", [e(100, "critical")], [b("passing", 0, 100)]],
    ["events outside the range are ignored", "passing", [e(-5, "critical"), e(150, "critical")], [b("passing", 0, 100)]],
  ])("%s", (_, before, events, bands) => {
    expect(buildBands({ before, events, from: 0, to: 100 })).toEqual(bands);
  });

  test("an empty range has no band", () => {
    expect(buildBands({ before: "passing", events: [], from: 100, to: 100 })).toEqual([]);
  });
});

describe("computeUptime", () => {
  test.each<[string, TBand[], number | null]>([
    ["always passing", [b("passing", 0, 100)], 1],
    ["warning still takes traffic", [b("warning", 0, 100)], 1],
    ["a quarter critical", [b("passing", 0, 75), b("critical", 75, 100)], 0.75],
    ["time not yet checked counts neither way", [b("unknown", 0, 50), b("passing", 50, 75), b("critical", 75, 100)], 0.5],
    ["only unknown", [b("unknown", 0, 100)], null],
    ["time not registered does not count", [b("none", 0, 50), b("passing", 50, 75), b("critical", 75, 100)], 0.5],
    ["never registered", [b("none", 0, 100)], null],
    ["no band", [], null],
  ])("%s", (_, bands, uptime) => {
    expect(computeUptime(bands)).toBe(uptime);
  });
});

describe("formatUptime", () => {
  test.each<[number | null, string]>([
    [1, "100%"],
    [0.99999, "99.99%"],
    [0.5, "50.00%"],
    [0, "0.00%"],
    [null, "n/a"],
  ])("%s -> %s", (uptime, text) => {
    expect(formatUptime(uptime)).toBe(text);
  });
});
