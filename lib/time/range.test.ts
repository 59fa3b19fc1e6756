import { describe, expect, test } from "vitest";
import { carryTimeRange, maxRangeMs, readTimeRange, resolveTimeRange, timeRangeSearch, ZTimeRangeQuery } from "./range";

const from = Date.parse("2026-12-07T00:00:00Z");
const to = Date.parse("2026-12-07T06:00:00Z");

describe("readTimeRange", () => {
  test("no parameter: no range, no problem (the page's default)", () => {
    expect(readTimeRange({})).toEqual({ range: null, problem: null });
    expect(readTimeRange({ range: "", from: "" })).toEqual({ range: null, problem: null });
  });

  test.each(["15m", "1h", "6h", "24h", "7d", "30d"])("the preset %s", (preset) => {
    expect(readTimeRange({ range: preset })).toEqual({ range: { preset }, problem: null });
  });

  test("two moments, ISO or epoch milliseconds", () => {
    expect(readTimeRange({ from: "2026-12-07T00:00:00Z", to: String(to) })).toEqual({ range: { preset: null, from, to }, problem: null });
    expect(readTimeRange({ from: "2026-12-07T09:00:00+09:00", to: "2026-12-07T06:00:00.000Z" }).range).toEqual({ preset: null, from, to });
  });

  test("from and to win over a preset given beside them", () => {
    expect(readTimeRange({ range: "1h", from: String(from), to: String(to) }).range).toEqual({ preset: null, from, to });
  });

  test.each([
    [{ range: "2w" }, "range: must be one of 15m, 1h, 6h, 24h, 7d, 30d"],
    [{ range: "constructor" }, "range: must be one of"],
    [{ range: ["1h", "24h"] }, "range: must be given once"],
    [{ from: String(from) }, "to: must be given with from"],
    [{ to: String(to) }, "from: must be given with to"],
    [{ from: "yesterday", to: String(to) }, "from: must be an ISO 8601 time"],
    [{ from: String(from), to: "2026-02-31" }, "to: must be an ISO 8601 time"],
    [{ from: String(to), to: String(from) }, "to: must be at least a minute after from"],
    [{ from: String(from), to: String(from) }, "to: must be at least a minute after from"],
    [{ from: String(from), to: String(from + 59_999) }, "to: must be at least a minute after from"],
    [{ from: "-5", to: String(to) }, "from: must be an ISO 8601 time"],
    [{ from: "0", to: "99999999999999999999" }, "to: must be an ISO 8601 time"],
    [{ from: "1e3", to: String(to) }, "from: must be an ISO 8601 time"],
    [{ from: "NaN", to: "Infinity" }, "from: must be an ISO 8601 time"],
    [{ from: "2026-12-07T00:00:00Z<script>", to: String(to) }, "from: must be an ISO 8601 time"],
  ] as [Record<string, string | string[]>, string][])("refuses %j: %s", (search, problem) => {
    const read = readTimeRange(search);
    expect(read.range).toBeNull();
    expect(read.problem).toContain(problem);
  });

  test("a range longer than 30 days keeps its end and is shortened, saying so", () => {
    const read = readTimeRange({ from: "0", to: String(to) });
    expect(read.range).toEqual({ preset: null, from: to - maxRangeMs, to });
    expect(read.problem).toMatch(/longer than 30 days/);
  });

  test("the largest moments Date holds do not throw", () => {
    expect(readTimeRange({ from: "8640000000000000", to: "8640000000000000" }).range).toBeNull();
    expect(() => readTimeRange({ from: "9".repeat(5000), to: "1".repeat(5000) })).not.toThrow();
  });
});

describe("resolveTimeRange and timeRangeSearch", () => {
  test("a preset ends now", () => {
    expect(resolveTimeRange({ preset: "1h" }, to)).toEqual({ preset: "1h", from: to - 3_600_000, to });
  });

  test("two moments stay as they are", () => {
    expect(resolveTimeRange({ preset: null, from, to }, 0)).toEqual({ preset: null, from, to });
  });

  test("writes one form and removes the other", () => {
    expect(timeRangeSearch({ preset: "24h" })).toEqual({ range: "24h", from: undefined, to: undefined });
    expect(timeRangeSearch({ preset: null, from, to })).toEqual({ range: undefined, from: "2026-12-07T00:00:00Z", to: "2026-12-07T06:00:00Z" });
    expect(timeRangeSearch(null)).toEqual({ range: undefined, from: undefined, to: undefined });
  });

  test("what it writes reads back", () => {
    const range = { preset: null, from: from + 123, to };
    expect(readTimeRange(timeRangeSearch(range)).range).toEqual(range);
  });
});

describe("ZTimeRangeQuery", () => {
  test("reads what the pages' URLs hold", () => {
    expect(ZTimeRangeQuery.parse({ range: "6h" })).toEqual({ preset: "6h" });
    expect(ZTimeRangeQuery.parse({})).toBeNull();
  });

  test.each([{ range: "5y" }, { from: "x", to: "y" }, { from: "0", to: String(to) }, { from: String(to), to: String(from) }])("refuses %j", (query) => {
    expect(ZTimeRangeQuery.safeParse(query).success).toBe(false);
  });
});

describe("carryTimeRange", () => {
  test.each([
    ["/events", "range=24h&kind=failover", "/events?range=24h"],
    ["/services/orders#instance-1", "from=1&to=2&q=x", "/services/orders?from=1&to=2#instance-1"],
    ["/events?kind=health", "range=1h", "/events?kind=health&range=1h"],
    ["/topology", "", "/topology"],
    ["/", "range=7d", "/?range=7d"],
    ["/services", "range=7d", "/services?range=7d"],
    ["/config", "range=7d", "/config"],
    ["/settings/users", "range=7d", "/settings/users"],
    ["/services/orders/x", "range=7d", "/services/orders/x"],
    ["/services/orders/instances/orders-2?change=drain", "range=6h", "/services/orders/instances/orders-2?change=drain&range=6h"],
    ["/services/orders/instances/orders-2/x", "range=6h", "/services/orders/instances/orders-2/x"],
    ["https://evil.example/", "range=7d", "https://evil.example/"],
  ])("%s from ?%s is %s", (href, search, expected) => {
    expect(carryTimeRange(href, search)).toBe(expected);
  });
});
