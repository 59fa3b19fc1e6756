import type { TChartPoint } from "../views";

// A chart's points as CSV: one row per step, times in UTC (ISO 8601), an empty cell where nothing was measured.
const columns = [
  ["rps", "requests_per_second"],
  ["errorRate", "error_ratio"],
  ["p50", "p50_ms"],
  ["p95", "p95_ms"],
  ["p99", "p99_ms"],
] as const satisfies readonly (readonly [keyof TChartPoint, string])[];

export function chartPointsCsv(points: readonly TChartPoint[]): string {
  const head = ["time", ...columns.map(([, name]) => name)].join(",");
  const rows = points.map((point) => [new Date(point.t).toISOString(), ...columns.map(([key]) => point[key] ?? "")].join(","));
  return `${[head, ...rows].join("\n")}\n`;
}
