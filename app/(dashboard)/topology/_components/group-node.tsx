"use client";

import { Handle, Position, useStore, type NodeProps } from "@xyflow/react";
import { memo } from "react";
import { cn } from "@/components/ui/cn";
import { formatErrorRate, formatLatency, formatRps } from "./format-signals";
import { fills, healthText, isCompact, tints, type TServiceNode } from "./service-node";
import { healthColor } from "./topology-colors";

const count = (n: number, one: string) => `${n.toLocaleString("en-US")} ${one}${n === 1 ? "" : "s"}`;

/** A collapsed group: its services' worst health, their instances and summed rate; a click opens it. */
function GroupNodeView({ data: { node } }: NodeProps<TServiceNode>) {
  const compact = useStore(isCompact);
  const color = healthColor[node.health];
  const unwell = node.instances.critical + node.instances.warning;
  return (
    <div
      data-testid={`topology-group-${node.group}`}
      title={`${node.group}: ${count(node.members.length, "service")}, worst health ${node.health}. Click to show its services.`}
      className={cn(
        "relative flex size-full cursor-pointer flex-col justify-center gap-0.5 rounded-lg border-2 px-3 shadow-[4px_4px_0_-1px] shadow-zinc-300 dark:shadow-zinc-700",
        compact ? fills[node.health] : tints[node.health],
      )}
      style={{ borderColor: color }}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} className="!invisible" />
      <div className="flex min-w-0 items-center gap-2">
        <span aria-hidden className="size-2.5 shrink-0 rounded-sm" style={{ backgroundColor: color }} />
        <span className={cn("truncate font-semibold", compact ? "text-2xl" : "text-[15px]")}>{node.group}</span>
        {!compact && <span className="ml-auto shrink-0 rounded bg-zinc-900/5 px-1.5 text-xs font-medium dark:bg-white/10">{node.members.length}</span>}
      </div>
      {!compact && (
        <>
          <div className="flex justify-between gap-2 text-xs text-zinc-600 dark:text-zinc-400">
            <span className="truncate">
              {count(node.members.length, "service")}
              {unwell > 0 && <span className={cn("font-medium", healthText[node.health])}> · {count(unwell, "unwell instance")}</span>}
            </span>
            {node.rps !== null && <span className="shrink-0 font-medium tabular-nums text-zinc-800 dark:text-zinc-200">{formatRps(node.rps)}</span>}
          </div>
          <div className="truncate text-xs tabular-nums text-zinc-600 dark:text-zinc-400">
            {node.rps === null ? "no metrics · click to open" : `worst p95 ${formatLatency(node.p95)} · ${formatErrorRate(node.errorRate)} errors`}
          </div>
        </>
      )}
      <Handle type="source" position={Position.Right} isConnectable={false} className="!invisible" />
    </div>
  );
}

export const GroupNode = memo(GroupNodeView);
