import { chartRanges, type TChartRange } from "@/lib/metrics/views";

// How far back the topology's time slider reaches; each slider step is a 360th of it, in whole 10 s.
export const topologyRangeNames = ["1h", "6h", "24h", "7d"] as const satisfies readonly TChartRange[];
export type TTopologyRange = (typeof topologyRangeNames)[number];

export function rangeStepMs(range: TTopologyRange): number {
  return Math.max(10_000, Math.round(chartRanges[range] / 360 / 10_000) * 10_000);
}

export function readRange(value: string | null | undefined): TTopologyRange {
  return topologyRangeNames.find((name) => name === value) ?? "1h";
}
