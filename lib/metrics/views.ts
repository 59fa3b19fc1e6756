import type { TRangePreset } from "@/lib/time/range";
import type { TResolution } from "./rollup/rollup-rows";

// What the metrics API returns to the pages (and to anyone scripting against it).

/** One step of a chart: rates per second over the step, latency quantiles in ms; null where nothing was measured. */
export type TChartPoint = { t: number; rps: number | null; errorRate: number | null; p50: number | null; p95: number | null; p99: number | null };

/** An event drawn on the chart's time axis: health changes, failovers and (with governance) operator changes. */
export type TTimelineMarker = {
  at: number;
  kind: "health" | "failover" | "recovery" | "outage" | "outage-end" | "maintenance" | "retired" | "operator" | "alert";
  // maintenance: planned, drawn in its own colour, never as a failure
  tone: "critical" | "warning" | "ok" | "info" | "maintenance";
  instanceId: string | null;
  label: string;
};

export type TChartSeriesOf = { scope: "service" } | { scope: "instance"; instanceId: string } | { scope: "edge"; caller: string; callee: string };

export type TServiceChart = {
  service: string;
  of: TChartSeriesOf;
  /** The preset the chart ends now with, or null for two fixed moments. */
  range: TRangePreset | null;
  from: number;
  to: number;
  stepMs: number;
  resolution: TResolution;
  points: TChartPoint[];
  markers: TTimelineMarker[];
  /** Services seen calling this one (callers) and called by it (callees) during the range: the edge series there are. */
  peers: { callers: string[]; callees: string[] };
};

export type THealthCounts = { total: number; passing: number; warning: number; critical: number; unknown: number };

/** Golden signals over the topology's window. */
export type TEdgeSignals = { rps: number | null; errorRate: number | null; p50: number | null; p95: number | null; p99: number | null };

/** How services are grouped: by the `namespace` metadata of their instances, their first tag, or their name's first part. */
export const topologyGroupings = ["namespace", "tag", "prefix", "none"] as const;
export type TTopologyGrouping = (typeof topologyGroupings)[number];

export type TTopologyNode = TEdgeSignals & {
  /** A service's name, or `group:<key>` for a collapsed group. */
  id: string;
  kind: "service" | "group";
  /** The group the service belongs to (a group node's own key); null when not grouped. */
  group: string | null;
  health: "passing" | "warning" | "critical" | "unknown";
  instances: THealthCounts;
  tags: string[];
  /** The `namespace` metadata of the service's instances, if any. */
  namespace: string | null;
  /** False for a callee that edges name but the catalog does not hold (an external dependency). */
  registered: boolean;
  /** A collapsed group's services, by name; empty for a service. */
  members: string[];
};

export type TTopologyEdge = TEdgeSignals & {
  id: string;
  caller: string;
  callee: string;
  /** Declared in a caller instance's `dependencies` metadata. */
  declared: boolean;
  /** Seen in client-side metrics during the window. */
  observed: boolean;
  /** How many service edges this one stands for: more than 1 between collapsed groups (rates summed, latencies the worst). */
  members: number;
};

/** The rollup rows the signals were read from: windows starting in [from, to), `measuredMs` of them present. */
export type TTopologyWindow = { resolution: TResolution; from: number; to: number; measuredMs: number };

export type TTopologyShape = {
  by: TTopologyGrouping;
  /** Groups of more than one service shown as one node: the graph (filtered, focused) had more services than `collapseAbove`. */
  collapsed: boolean;
  collapseAbove: number;
  /** Group keys shown as their services although the rest are collapsed. */
  expanded: string[];
  /** The service in focus and how many hops around it are shown. */
  focus: { service: string; hops: number } | null;
  /** Services and edges left out past the payload's bounds (the quietest edges go first). */
  omitted: { services: number; edges: number };
};

export type TTopology = { at: number; windowMs: number; metrics: TTopologyWindow; shape: TTopologyShape; nodes: TTopologyNode[]; edges: TTopologyEdge[] };
