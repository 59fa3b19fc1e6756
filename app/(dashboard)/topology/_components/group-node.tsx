"use client";

import { Handle, Position, type NodeProps } from "@xyflow/react";
import { memo } from "react";
import { cn } from "@/components/ui/cn";
import { formatErrorRate, formatLatency, formatRps } from "./format-signals";
import { fills, healthText, NodeHeading, tints, type TServiceNode } from "./service-node";
import { healthColor } from "./topology-colors";
import { useDetail } from "./zoom-detail";

const count = (n: number, one: string) => `${n.toLocaleString("en-US")} ${one}${n === 1 ? "" : "s"}`;

/** A collapsed group: its services' worst health, their instances and summed rate; a click opens it. */
function GroupNodeView({ data: { node } }: NodeProps<TServiceNode>) {
  const detail = useDetail();
  const color = healthColor[node.health];
  const unwell = node.instances.critical + node.instances.warning;
  const services = count(node.members.length, "service");
  return (
    <div
      data-testid={`topology-group-${node.group}`}
      title={`${node.group}: ${services}, worst health ${node.health}. Click to show its services.`}
      className={cn(
        "relative flex size-full cursor-pointer flex-col justify-center gap-0.5 rounded-lg border-2 px-3 leading-tight shadow-[5px_5px_0_-1px] shadow-zinc-300 dark:shadow-zinc-600",
        detail.lines === 0 ? fills[node.health] : tints[node.health],
      )}
      style={{ borderColor: color }}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} className="!invisible" />
      <NodeHeading name={node.group ?? node.id} color={color} detail={detail} marker="rounded-sm">
        {detail.lines === 2 && (
          // In the band's line size, not a fixed 12 px: at the large band's zoom (0.7) that was 8.5 px on screen.
          <span className="ml-auto shrink-0 rounded bg-zinc-900/5 px-1.5 font-medium dark:bg-white/10" style={{ fontSize: detail.line }}>
            {node.members.length}
          </span>
        )}
      </NodeHeading>
      {detail.lines === 2 && (
        <div className="space-y-0.5 text-zinc-600 dark:text-zinc-400" style={{ fontSize: detail.line }}>
          <div className="flex justify-between gap-2">
            <span className="truncate">
              {services}
              {unwell > 0 && <span className={cn("font-medium", healthText[node.health])}> · {unwell} unwell</span>}
            </span>
            {node.rps !== null && <span className="shrink-0 font-medium tabular-nums text-zinc-800 dark:text-zinc-200">{formatRps(node.rps)}</span>}
          </div>
          <div className="truncate tabular-nums">
            {node.rps === null ? "no metrics · click to open" : `worst p95 ${formatLatency(node.p95)} · ${formatErrorRate(node.errorRate)} err`}
          </div>
        </div>
      )}
      {detail.lines === 1 && (
        <div className="truncate tabular-nums text-zinc-700 dark:text-zinc-300" style={{ fontSize: detail.line }}>
          {services}
        </div>
      )}
      <Handle type="source" position={Position.Right} isConnectable={false} className="!invisible" />
    </div>
  );
}

export const GroupNode = memo(GroupNodeView);
