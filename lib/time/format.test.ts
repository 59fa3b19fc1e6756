import { describe, expect, test } from "vitest";
import { formatClock, formatDay, formatTime, fromZoneInput, isTimeZone, toZoneInput, zoneName } from "./format";
import { chooseTimeZone } from "./zone";

const at = Date.parse("2026-12-07T00:41:03.500Z");

describe("formatTime", () => {
  test.each([
    ["UTC", "2026-12-07 00:41:03 UTC"],
    ["Asia/Tokyo", "2026-12-07 09:41:03 UTC+9"],
    ["America/New_York", "2026-12-06 19:41:03 EST"],
    ["Asia/Kolkata", "2026-12-07 06:11:03 UTC+5:30"],
  ])("writes one moment in %s as %s", (zone, expected) => {
    expect(formatTime(at, zone)).toBe(expected);
  });

  test("takes an ISO string or a Date as well", () => {
    expect(formatTime("2026-12-07T00:41:03Z", "UTC")).toBe("2026-12-07 00:41:03 UTC");
    expect(formatTime(new Date(at), "UTC")).toBe("2026-12-07 00:41:03 UTC");
  });

  test.each([Number.NaN, "garbage", Number.POSITIVE_INFINITY])("writes %s as a dash", (value) => {
    expect(formatTime(value, "UTC")).toBe("—");
  });

  test("writes midnight as 00, not 24", () => {
    expect(formatTime(Date.parse("2026-12-07T15:00:00Z"), "Asia/Tokyo")).toBe("2026-12-08 00:00:00 UTC+9");
  });
});

describe("axis labels", () => {
  test("clock and day in the zone", () => {
    expect(formatClock(at, "Asia/Tokyo")).toBe("09:41");
    expect(formatClock(at, "Asia/Tokyo", { seconds: true })).toBe("09:41:03");
    expect(formatDay(at, "Asia/Tokyo")).toBe("Mon 07");
    expect(zoneName(at, "UTC")).toBe("UTC");
  });
});

describe("isTimeZone", () => {
  test.each([
    ["Asia/Tokyo", true],
    ["UTC", true],
    ["Mars/Olympus", false],
    ["", false],
    ["x".repeat(100), false],
  ])("%s is a zone: %s", (zone, expected) => {
    expect(isTimeZone(zone)).toBe(expected);
  });
});

describe("datetime-local inputs", () => {
  test.each(["UTC", "Asia/Tokyo", "America/New_York", "Europe/Berlin"])("round-trip in %s", (zone) => {
    const minute = Math.floor(at / 60_000) * 60_000;
    expect(fromZoneInput(toZoneInput(minute, zone), zone)).toBe(minute);
  });

  test("reads the wall time of the zone", () => {
    expect(toZoneInput(at, "Asia/Tokyo")).toBe("2026-12-07T09:41");
    expect(fromZoneInput("2026-12-07T09:41", "Asia/Tokyo")).toBe(Date.parse("2026-12-07T00:41:00Z"));
  });

  test("across a daylight-saving change", () => {
    // New York moved its clocks forward at 2026-03-08 02:00 EST (07:00 UTC).
    expect(fromZoneInput("2026-03-08T01:30", "America/New_York")).toBe(Date.parse("2026-03-08T06:30:00Z"));
    expect(fromZoneInput("2026-03-08T03:30", "America/New_York")).toBe(Date.parse("2026-03-08T07:30:00Z"));
  });

  test.each(["", "yesterday", "2026-13-45T99:99", "2026-12-07"])("refuses %j", (value) => {
    expect(fromZoneInput(value, "UTC")).toBeNull();
  });
});

describe("chooseTimeZone", () => {
  test.each([
    [{ browserZone: "Asia/Tokyo", utc: undefined }, "Asia/Tokyo"],
    [{ browserZone: "Asia/Tokyo", utc: "1" }, "UTC"],
    [{ browserZone: undefined, utc: undefined }, "UTC"],
    [{ browserZone: "<script>", utc: "0" }, "UTC"],
  ])("%j writes in %s", (cookies, zone) => {
    expect(chooseTimeZone(cookies)).toBe(zone);
  });
});
