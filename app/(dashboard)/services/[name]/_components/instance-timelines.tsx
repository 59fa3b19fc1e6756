"use client";

import { LocalTime } from "@/components/time/time-zone";
import { Badge, HealthBadge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/table";
import { TimeAgo } from "@/components/ui/time-ago";
import type { THealthHistory } from "@/lib/health/queries";
import { formatUptime, timelineEventCap } from "@/lib/health/timeline";
import type { TInstanceView } from "@/lib/registry/instance-view";
import { HealthTimeline } from "./health-timeline";
import { HeartbeatStatus } from "./heartbeat-status";

const row =
  "grid grid-cols-[minmax(7rem,11rem)_minmax(8rem,1fr)_4.5rem] items-center gap-x-4 px-4 lg:grid-cols-[minmax(7rem,11rem)_minmax(8rem,1fr)_4.5rem_17rem]";

function CheckStatus({ instance, lastCheckAt }: { instance: TInstanceView; lastCheckAt: string | null }) {
  if (instance.check.kind === "ttl") return <HeartbeatStatus lastHeartbeatAt={instance.lastHeartbeatAt} ttlMs={instance.check.ttlMs} />;
  if (instance.check.kind === "source") return <span>kept alive in {instance.check.source}</span>;
  return (
    <span>
      {instance.check.kind} checked <TimeAgo at={lastCheckAt} />
    </span>
  );
}

/** One compact row per instance: health now, its bands over the range, uptime, and what its check said last. */
export function InstanceTimelines({ instances, history }: { instances: TInstanceView[]; history: THealthHistory }) {
  if (instances.length === 0) return <EmptyState>This service has no instance registered.</EmptyState>;
  const from = new Date(history.from).getTime();
  const to = new Date(history.to).getTime();
  const byId = new Map(history.instances.map((entry) => [entry.id, entry]));
  const truncated = history.instances.filter((entry) => entry.coveredFrom);

  return (
    <div className="py-2">
      <div className={`${row} pb-1 text-xs text-zinc-500 dark:text-zinc-400`}>
        <span>Instance</span>
        <span className="flex justify-between">
          {history.range ? <span>{history.range.replace(/(\d+)/, "$1 ")} ago</span> : <LocalTime at={from} />}
          {history.range ? <span>now</span> : <LocalTime at={to} />}
        </span>
        <span className="text-right">Uptime</span>
        <span className="hidden lg:block">Check</span>
      </div>
      <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
        {instances.map((instance) => {
          const entry = byId.get(instance.id);
          return (
            <li
              key={instance.id}
              id={`instance-${instance.id}`}
              data-testid={`timeline-${instance.id}`}
              className={`${row} scroll-mt-4 py-1.5 text-sm target:bg-amber-50 dark:target:bg-amber-950/40`}
            >
              <span className="flex min-w-0 items-center gap-2">
                <span className="truncate font-medium" title={instance.id}>
                  {instance.id}
                </span>
                {/* On a phone the id needs the room; the instances table below shows health too. */}
                <span className="hidden sm:inline-flex">
                  <HealthBadge health={instance.health} />
                </span>
                {entry?.flapping && <Badge tone="warn">flapping</Badge>}
              </span>
              {entry ? (
                <HealthTimeline bands={entry.bands} from={from} to={to} label={`${instance.id} over ${history.range ?? "the range"}`} />
              ) : (
                <span className="h-4 animate-pulse rounded-sm bg-zinc-100 dark:bg-zinc-800" />
              )}
              <span className="text-right text-xs font-medium tabular-nums" title="share of the registered time passing or warning">
                {formatUptime(entry?.uptime ?? null)}
              </span>
              <span className="col-span-3 min-w-0 pt-0.5 text-xs text-zinc-500 dark:text-zinc-400 lg:col-span-1 lg:pt-0">
                <span className="block truncate">
                  <CheckStatus instance={instance} lastCheckAt={entry?.lastCheckAt ?? null} />
                </span>
                <span className="block truncate font-mono text-[11px] text-zinc-500 dark:text-zinc-400" title={instance.healthOutput ?? undefined}>
                  {instance.healthOutput ?? "no check output yet"}
                </span>
              </span>
            </li>
          );
        })}
      </ul>
      {truncated.map((entry) => (
        <p key={entry.id} className="px-4 pt-2 text-xs text-amber-700 dark:text-amber-400">
          {entry.id} changed health more than {timelineEventCap} times in this range: its timeline shows the changes since{" "}
          <LocalTime at={entry.coveredFrom ?? 0} />.
        </p>
      ))}
    </div>
  );
}
