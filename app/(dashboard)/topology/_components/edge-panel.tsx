"use client";

import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import type { TTopologyEdge, TTopologyNode } from "@/lib/metrics/views";
import { formatErrorRate, formatLatency, formatRps } from "./format-signals";
import { edgeStyle } from "./topology-colors";

const nameOf = (node: TTopologyNode | undefined, id: string) => (node?.kind === "group" ? `${node.group} (${node.members.length} services)` : id);

/** What one edge carries over the window, and where its charts are; between groups, how to open them. */
export function EdgePanel({
  edge,
  caller,
  callee,
  onExpand,
  onClose,
}: {
  edge: TTopologyEdge;
  caller: TTopologyNode | undefined;
  callee: TTopologyNode | undefined;
  onExpand: (keys: string[]) => void;
  onClose: () => void;
}) {
  const grouped = edge.members > 1 || caller?.kind === "group" || callee?.kind === "group";
  const groups = [caller, callee].flatMap((node) => (node?.kind === "group" && node.group ? [node.group] : []));
  const rows: [string, string][] = [
    ["Requests", formatRps(edge.rps)],
    ["Errors", formatErrorRate(edge.errorRate)],
    [grouped ? "p50 (worst edge)" : "p50", formatLatency(edge.p50)],
    [grouped ? "p95 (worst edge)" : "p95", formatLatency(edge.p95)],
    [grouped ? "p99 (worst edge)" : "p99", formatLatency(edge.p99)],
  ];
  return (
    <section
      data-testid="topology-edge-panel"
      aria-label={`Edge ${edge.caller} to ${edge.callee}`}
      className="w-72 max-w-[calc(100vw-3rem)] rounded-lg border border-zinc-200 bg-white p-3 text-sm shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
    >
      <div className="flex items-start gap-2">
        <span aria-hidden className="mt-2 h-1 w-4 shrink-0 rounded" style={{ backgroundColor: edgeStyle(edge).color }} />
        <h2 className="min-w-0 flex-1 break-words font-semibold">
          {nameOf(caller, edge.caller)} <span className="text-zinc-500 dark:text-zinc-400">→</span> {nameOf(callee, edge.callee)}
        </h2>
        <button
          type="button"
          onClick={onClose}
          aria-label="Close edge details"
          className="rounded px-1.5 text-lg leading-none text-zinc-500 dark:text-zinc-400 hover:bg-zinc-100 dark:hover:bg-zinc-800"
        >
          ×
        </button>
      </div>
      <div className="mt-2 flex flex-wrap gap-1.5">
        {edge.observed ? <Badge tone="info">observed</Badge> : <Badge>not measured</Badge>}
        {edge.declared && <Badge>declared</Badge>}
        {edge.members > 1 && <Badge>{edge.members} edges</Badge>}
      </div>
      <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 tabular-nums">
        {rows.map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="text-zinc-500 dark:text-zinc-400">{label}</dt>
            <dd className="text-right font-medium">{value}</dd>
          </div>
        ))}
      </dl>
      <div className="mt-3 flex flex-wrap gap-3 text-sm">
        {!grouped && caller?.registered && (
          <Link
            className="font-medium text-sky-700 underline hover:text-sky-900 dark:text-sky-400"
            href={`/services/${encodeURIComponent(edge.caller)}?callee=${encodeURIComponent(edge.callee)}`}
          >
            Charts of this edge
          </Link>
        )}
        {groups.length > 0 && (
          <button type="button" className="font-medium text-sky-700 underline hover:text-sky-900 dark:text-sky-400" onClick={() => onExpand(groups)}>
            {groups.length > 1 ? "Show both groups' services" : "Show the group's services"}
          </button>
        )}
      </div>
    </section>
  );
}
