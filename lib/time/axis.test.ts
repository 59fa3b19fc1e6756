import { describe, expect, test } from "vitest";
import { formatTick, timeTicks } from "./axis";

const hour = 3_600_000;
// 00:41:03 UTC, 09:41:03 in Tokyo.
const to = Date.parse("2026-12-07T00:41:03Z");

describe("timeTicks", () => {
  test("an hour: every 10 min on the zone's clock", () => {
    const ticks = timeTicks({ from: to - hour, to, zone: "Asia/Tokyo" });
    expect(ticks.map((t) => formatTick({ from: to - hour, to }, t, "Asia/Tokyo"))).toEqual(["08:50", "09:00", "09:10", "09:20", "09:30", "09:40"]);
  });

  test("a week: the zone's midnights, labelled by day", () => {
    const from = to - 7 * 24 * hour;
    const ticks = timeTicks({ from, to, zone: "Asia/Tokyo" });
    expect(ticks.map((t) => formatTick({ from, to }, t, "Asia/Tokyo"))).toEqual(["Tue 01", "Wed 02", "Thu 03", "Fri 04", "Sat 05", "Sun 06", "Mon 07"]);
    expect(new Date(ticks[0]!).toISOString()).toBe("2026-11-30T15:00:00.000Z");
  });

  test("a half-hour zone rounds on its own clock", () => {
    const ticks = timeTicks({ from: to - 6 * hour, to, zone: "Asia/Kolkata" });
    expect(ticks.map((t) => formatTick({ from: to - 6 * hour, to }, t, "Asia/Kolkata"))).toEqual(["01:00", "02:00", "03:00", "04:00", "05:00", "06:00"]);
  });

  test.each([15 * 60_000, hour, 6 * hour, 24 * hour, 7 * 24 * hour, 30 * 24 * hour, 45_000])("at most eight ticks over %i ms", (span) => {
    expect(timeTicks({ from: to - span, to, zone: "UTC" }).length).toBeLessThanOrEqual(8);
  });
});
