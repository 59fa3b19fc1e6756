"use client";

import { BaseEdge, EdgeLabelRenderer, useStore, type Edge, type EdgeProps, type ReactFlowState } from "@xyflow/react";
import { memo, useCallback, useMemo } from "react";
import type { TTopologyEdge } from "@/lib/metrics/views";
import { formatErrorRate, formatLatency, formatRps } from "./format-signals";
import { useTouchesHovered } from "./hover-store";
import type { TEdgeRoute, TPoint } from "./layout-graph";
import { edgeLabelSize } from "./layout-graph";
import { edgeStyle } from "./topology-colors";
import { labelScaleAt, useDetail } from "./zoom-detail";

export type TTrafficEdge = Edge<{ edge: TTopologyEdge; route: TEdgeRoute; roomyLabels: boolean }, "traffic">;

const stubPx = 24;

/**
 * A smooth curve from the source's handle through dagre's bend points to the target's handle: a
 * B-spline (d3's curveBasis, as dagre-d3 draws), which bends near the points without looping past
 * them; two points make an S-curve leaving and entering horizontally.
 */
export function routePath(points: TPoint[]): string {
  const [first, ...rest] = points;
  if (!first) return "";
  if (rest.length === 1) {
    const to = rest[0]!;
    const middle = (first.x + to.x) / 2;
    return `M ${first.x} ${first.y} C ${middle} ${first.y} ${middle} ${to.y} ${to.x} ${to.y}`;
  }
  let path = `M ${first.x} ${first.y}`;
  let [x0, y0, x1, y1] = [first.x, first.y, first.x, first.y];
  const curveTo = (x: number, y: number) => {
    path += ` C ${(2 * x0 + x1) / 3} ${(2 * y0 + y1) / 3} ${(x0 + 2 * x1) / 3} ${(y0 + 2 * y1) / 3} ${(x0 + 4 * x1 + x) / 6} ${(y0 + 4 * y1 + y) / 6}`;
  };
  rest.forEach(({ x, y }, index) => {
    if (index === 1) path += ` L ${(5 * x0 + x1) / 6} ${(5 * y0 + y1) / 6}`;
    if (index >= 1) curveTo(x, y);
    [x0, y0, x1, y1] = [x1, y1, x, y];
  });
  curveTo(x1, y1);
  return `${path} L ${x1} ${y1}`;
}

/** Two short lines, so the label's room between layers stays narrow: rate and errors, then p95 (the worst, between groups). */
function edgeLabel(edge: TTopologyEdge): [string, string] {
  if (!edge.observed) return ["declared", edge.rps === 0 ? "no traffic" : "not measured"];
  if (edge.rps === null) return ["no metrics", ""];
  const calls = edge.members > 1 ? ` · ${edge.members} edges` : "";
  return [`${formatRps(edge.rps)} · ${formatErrorRate(edge.errorRate)}`, `p95 ${formatLatency(edge.p95)}${calls}`];
}

function TrafficEdgeView({ id, data, source, target, sourceX, sourceY, targetX, targetY, markerEnd }: EdgeProps<TTrafficEdge>) {
  // Labels with room of their own are drawn in the full band (12 px type is 11 px there); further out, on hover, grown.
  const zoomedIn = useDetail().detail === "full";
  const hovered = useTouchesHovered(source, target);
  // Labels with room of their own show when readable; in a dense graph, those of the hovered service's edges.
  const labelled = hovered || (zoomedIn && Boolean(data?.roomyLabels));
  // Only a labelled edge follows the zoom: the others never re-render on it.
  const scale = useStore(useCallback((state: ReactFlowState) => (labelled ? labelScaleAt(state.transform[2]) : 1), [labelled]));
  const route = data?.route;
  // dagre's first and last points lie on the node outlines; the handles keep every edge on the nodes' sides,
  // and a short stub at each end makes the curve leave and enter them horizontally.
  const path = useMemo(() => {
    const bends = route?.points.slice(1, -1) ?? [];
    if (bends.length === 0)
      return routePath([
        { x: sourceX, y: sourceY },
        { x: targetX, y: targetY },
      ]);
    return routePath([
      { x: sourceX, y: sourceY },
      { x: sourceX + stubPx, y: sourceY },
      ...bends,
      { x: targetX - stubPx, y: targetY },
      { x: targetX, y: targetY },
    ]);
  }, [route, sourceX, sourceY, targetX, targetY]);
  if (!data || !route) return null;
  const style = edgeStyle(data.edge);
  const [first, second] = edgeLabel(data.edge);
  return (
    <>
      <BaseEdge
        id={id}
        path={path}
        markerEnd={markerEnd}
        className={hovered ? "topology-edge topology-edge-hovered" : "topology-edge"}
        style={{ stroke: style.color, strokeWidth: style.width, strokeDasharray: style.dashed ? "6 5" : undefined }}
      />
      {labelled && (
        // Above every edge line (their own layer), centred where the layout left room or halfway along.
        <EdgeLabelRenderer>
          <div
            data-testid={`topology-edge-${data.edge.caller}-${data.edge.callee}`}
            className="pointer-events-none absolute rounded border bg-white px-1.5 py-px text-center text-xs leading-tight tabular-nums text-zinc-700 dark:bg-zinc-900 dark:text-zinc-200"
            style={{
              borderColor: style.color,
              transform: `translate(-50%, -50%) translate(${route.label.x}px, ${route.label.y}px) scale(${scale})`,
              maxWidth: edgeLabelSize.width,
            }}
          >
            <div className="whitespace-nowrap">{first}</div>
            {second && <div className="whitespace-nowrap text-zinc-500 dark:text-zinc-400">{second}</div>}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
}

export const TrafficEdge = memo(TrafficEdgeView);
