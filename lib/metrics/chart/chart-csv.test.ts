import { describe, expect, test } from "vitest";
import { chartPointsCsv } from "./chart-csv";

describe("chartPointsCsv", () => {
  test("one row per point, UTC times, empty cells where nothing was measured", () => {
    const csv = chartPointsCsv([
      { t: Date.UTC(2026, 11, 7, 3, 0), rps: 12.5, errorRate: 0.01, p50: 4, p95: 9.5, p99: 20 },
      { t: Date.UTC(2026, 11, 7, 3, 1), rps: null, errorRate: null, p50: null, p95: null, p99: null },
    ]);
    expect(csv).toBe(
      ["time,requests_per_second,error_ratio,p50_ms,p95_ms,p99_ms", "2026-12-07T03:00:00.000Z,12.5,0.01,4,9.5,20", "2026-12-07T03:01:00.000Z,,,,,", ""].join(
        "\n",
      ),
    );
  });

  test("no points: the header alone", () => {
    expect(chartPointsCsv([])).toBe("time,requests_per_second,error_ratio,p50_ms,p95_ms,p99_ms\n");
  });
});
