import type { TTopologyEdge, TTopologyNode } from "@/lib/metrics/views";

// One palette for nodes, edges, the minimap and the legend (Tailwind's emerald, amber, rose, zinc, slate).

export const healthColor: Record<TTopologyNode["health"], string> = {
  passing: "#10b981",
  warning: "#f59e0b",
  critical: "#e11d48",
  unknown: "#a1a1aa",
};

export const trafficColor = { ok: "#64748b", elevated: "#f59e0b", failing: "#e11d48", idle: "#a1a1aa" } as const;

// Error shares from which an edge turns amber, then red.
export const errorThresholds = { elevated: 0.01, failing: 0.05 };

/** An edge's colour by its error share, its width by its traffic, dashed when only declared. */
export function edgeStyle(edge: Pick<TTopologyEdge, "observed" | "rps" | "errorRate">): { color: string; width: number; dashed: boolean } {
  if (!edge.observed) return { color: trafficColor.idle, width: 1.25, dashed: true };
  const rate = edge.errorRate ?? 0;
  const color = rate >= errorThresholds.failing ? trafficColor.failing : rate >= errorThresholds.elevated ? trafficColor.elevated : trafficColor.ok;
  // 1.5 px at a trickle, about 5 px at 1000 rps.
  return { color, width: 1.5 + Math.min(3.5, Math.log10(1 + (edge.rps ?? 0)) * 1.2), dashed: false };
}
