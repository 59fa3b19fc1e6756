"use client";

import { Handle, Position, type Node, type NodeProps } from "@xyflow/react";
import { memo, type ReactNode } from "react";
import { cn } from "@/components/ui/cn";
import type { TTopologyNode } from "@/lib/metrics/views";
import { formatErrorRate, formatLatency, formatRps, formatSignals } from "./format-signals";
import { useIsFound } from "./hover-store";
import { healthColor } from "./topology-colors";
import { useDetail, type TDetail } from "./zoom-detail";

// A collapsed group's node type is not "group": React Flow styles its own group nodes with a frame of their own.
export type TServiceNode = Node<{ node: TTopologyNode }, "service" | "collapsed">;

export const tints: Record<TTopologyNode["health"], string> = {
  passing: "bg-white dark:bg-zinc-900",
  warning: "bg-amber-50 dark:bg-amber-950/60",
  critical: "bg-rose-50 dark:bg-rose-950/60",
  unknown: "bg-zinc-50 dark:bg-zinc-900",
};

export const healthText: Record<TTopologyNode["health"], string> = {
  passing: "",
  warning: "text-amber-700 dark:text-amber-400",
  critical: "text-rose-700 dark:text-rose-400",
  unknown: "text-zinc-500 dark:text-zinc-400",
};

// Zoomed out, a node is a block of its health's colour: the overview reads like a heat map.
export const fills: Record<TTopologyNode["health"], string> = {
  passing: "bg-emerald-100 dark:bg-emerald-900",
  warning: "bg-amber-200 dark:bg-amber-800",
  critical: "bg-rose-300 dark:bg-rose-800",
  unknown: "bg-zinc-200 dark:bg-zinc-700",
};

// A service a search found: ringed, so the eye lands on it.
export const foundRing = "ring-4 ring-sky-500 ring-offset-2 ring-offset-white dark:ring-sky-400 dark:ring-offset-zinc-950";

function instancesLabel({ instances, registered }: TTopologyNode): string {
  if (!registered) return "not in the registry";
  if (instances.total === 0) return "no instances";
  return `${instances.passing}/${instances.total} passing`;
}

function latencyAndErrors({ rps, p95, errorRate }: TTopologyNode): string {
  if (rps === null) return "no metrics";
  if (rps === 0) return "no traffic";
  return `p95 ${formatLatency(p95)} · ${formatErrorRate(errorRate)} errors`;
}

// Zoomed out, one line: the rate and errors when there is traffic, else the instances.
function oneLine(node: TTopologyNode): string {
  return node.rps ? `${formatRps(node.rps)} · ${formatErrorRate(node.errorRate)} err` : instancesLabel(node);
}

function ServiceNodeView({ data: { node } }: NodeProps<TServiceNode>) {
  const detail = useDetail();
  const found = useIsFound(node.id);
  const color = healthColor[node.health];
  return (
    <div
      data-testid={`topology-node-${node.id}`}
      data-found={found || undefined}
      title={`${node.id}: ${node.health}, ${instancesLabel(node)}\n${formatSignals(node)}${node.tags.length ? `\ntags: ${node.tags.join(", ")}` : ""}`}
      className={cn(
        "flex size-full flex-col justify-center gap-0.5 rounded-lg border-2 px-3 leading-tight shadow-sm",
        detail.lines === 0 ? fills[node.health] : tints[node.health],
        node.registered ? "cursor-pointer" : "border-dashed",
        found && foundRing,
      )}
      style={{ borderColor: color }}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} className="!invisible" />
      <NodeHeading name={node.id} color={color} detail={detail} marker="rounded-full" />
      {detail.lines === 2 && (
        <div className="space-y-0.5 text-zinc-600 dark:text-zinc-400" style={{ fontSize: detail.line }}>
          <div className="flex justify-between gap-2">
            <span className="truncate">
              {instancesLabel(node)}
              {node.health !== "passing" && <span className={cn("font-medium", healthText[node.health])}> · {node.health}</span>}
            </span>
            {node.rps !== null && <span className="shrink-0 font-medium tabular-nums text-zinc-800 dark:text-zinc-200">{formatRps(node.rps)}</span>}
          </div>
          <div className="truncate tabular-nums">{latencyAndErrors(node)}</div>
        </div>
      )}
      {detail.lines === 1 && (
        <div className="truncate tabular-nums text-zinc-700 dark:text-zinc-300" style={{ fontSize: detail.line }}>
          {oneLine(node)}
        </div>
      )}
      <Handle type="source" position={Position.Right} isConnectable={false} className="!invisible" />
    </div>
  );
}

export const ServiceNode = memo(ServiceNodeView);

/** A node's first line: its health's dot and its name, on two lines when zoomed far out rather than cut. */
export function NodeHeading({ name, color, detail, marker, children }: { name: string; color: string; detail: TDetail; marker: string; children?: ReactNode }) {
  return (
    <div className="flex min-w-0 items-center gap-2">
      <span aria-hidden className={cn("size-2.5 shrink-0", marker)} style={{ backgroundColor: color }} />
      <span className={cn("font-semibold", detail.lines === 0 ? "line-clamp-2 break-all" : "truncate")} style={{ fontSize: detail.name }}>
        {name}
      </span>
      {children}
    </div>
  );
}
