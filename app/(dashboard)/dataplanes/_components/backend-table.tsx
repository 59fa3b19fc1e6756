"use client";

import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { Table, Td } from "@/components/ui/table";
import type { TBackendView } from "@/lib/dataplanes/haproxy/backend-view";

/** One backend: each server as Meshdeck wants it and as HAProxy has it, differing rows first and highlighted. */
export function BackendTable({ backend }: { backend: TBackendView }) {
  return (
    <div data-testid={`backend-${backend.backend}`}>
      <h3 className="mb-2 flex items-center gap-2 text-sm font-medium">
        backend {backend.backend}
        <span className="font-normal text-zinc-500 dark:text-zinc-400">
          ← service{" "}
          <Link className="underline" href={`/services/${encodeURIComponent(backend.service)}`}>
            {backend.service}
          </Link>
        </span>
        {backend.differing > 0 ? <Badge tone="warn">{backend.differing} differ</Badge> : <Badge tone="good">in step</Badge>}
      </h3>
      <Table head={["Server", "Meshdeck weight", "Meshdeck state", "HAProxy weight", "HAProxy status", "Sessions", "Check", "Differences"]}>
        {backend.servers.map((row) => (
          <tr key={row.server} data-testid={`server-${row.server}`} className={cn(row.differences.length > 0 && "bg-amber-50 dark:bg-amber-950/40")}>
            <Td className="font-mono text-xs">{row.server}</Td>
            <Td className="tabular-nums">{row.meshdeck?.weight ?? "–"}</Td>
            <Td>{row.meshdeck ? `${row.meshdeck.state}, ${row.meshdeck.health}` : "–"}</Td>
            <Td className="tabular-nums">{row.haproxy?.weight ?? "–"}</Td>
            <Td data-testid="haproxy-status">{row.haproxy?.status ?? "–"}</Td>
            <Td className="tabular-nums">{row.haproxy?.sessions ?? "–"}</Td>
            <Td className="text-xs">{row.haproxy?.checkStatus || "–"}</Td>
            <Td className="text-xs text-amber-700 dark:text-amber-400">{row.differences.join("; ")}</Td>
          </tr>
        ))}
      </Table>
      {backend.total > backend.servers.length && (
        <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">
          {backend.servers.length} of {backend.total} servers shown, differing ones first.
        </p>
      )}
    </div>
  );
}
