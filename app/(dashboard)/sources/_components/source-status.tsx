"use client";

import { Badge, type TTone } from "@/components/ui/badge";
import { TimeAgo } from "@/components/ui/time-ago";
import type { TSourceView } from "@/lib/sources/queries";

const tones: Record<string, TTone> = { connected: "good", stale: "warn", error: "bad", pending: "neutral", disabled: "neutral" };
const labels: Record<string, string> = { connected: "connected", stale: "stale", error: "unreachable", pending: "connecting", disabled: "paused" };

/** A source's state in a word, with since-when for a stale one and the reason in its title. */
export function SourceStatus({ source }: { source: Pick<TSourceView, "status" | "error" | "staleSince"> }) {
  return (
    <span className="inline-flex flex-col items-start gap-1">
      <Badge tone={tones[source.status] ?? "neutral"} title={source.error ?? undefined}>
        {labels[source.status] ?? source.status}
        {source.status === "stale" && source.staleSince && (
          <span className="font-normal">
            {" "}
            since <TimeAgo at={source.staleSince} />
          </span>
        )}
      </Badge>
      {source.error && source.status !== "connected" && (
        <span className="max-w-64 truncate text-xs text-rose-600 dark:text-rose-400" title={source.error}>
          {source.error}
        </span>
      )}
    </span>
  );
}
