import { RangeLink } from "@/components/time/range-link";
import type { ReactNode } from "react";
import { Badge, HealthBadge, type TTone } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/table";
import { TimeAgo } from "@/components/ui/time-ago";
import { SilencedBadge } from "./silenced-badge";
import { formatDuration } from "@/lib/duration";
import type { TEventKind } from "@/lib/health/event-filters";
import type { TEventView } from "@/lib/health/queries";
import { formatTakeover } from "@/lib/health/takeover";

// Maintenance is planned: sky, like the charts draw it, never the red of a failure.
export const kindTones: Record<TEventKind, TTone> = {
  failover: "bad",
  outage: "bad",
  recovery: "good",
  "outage-end": "good",
  maintenance: "info",
  retired: "neutral",
  flapping: "warn",
  health: "neutral",
};

export function instanceHref(service: string, instanceId: string) {
  return `/services/${encodeURIComponent(service)}/instances/${encodeURIComponent(instanceId)}`;
}

const linkStyle = "underline decoration-zinc-300 underline-offset-2 hover:decoration-current dark:decoration-zinc-600";

/** One link per row: the instance's row on its service page, or the service when no instance is named. */
export function SubjectLink({ service, instanceId }: { service: string; instanceId: string | null }) {
  return (
    <span className="min-w-0 truncate">
      {instanceId ? (
        <>
          <span className="font-medium">{service}</span>
          <span className="text-zinc-500 dark:text-zinc-400"> / </span>
          <RangeLink href={instanceHref(service, instanceId)} className={linkStyle}>
            {instanceId}
          </RangeLink>
        </>
      ) : (
        <RangeLink href={`/services/${encodeURIComponent(service)}`} className={`font-medium ${linkStyle}`}>
          {service}
        </RangeLink>
      )}
    </span>
  );
}

function Detail({ event }: { event: TEventView }): ReactNode {
  const detected = event.detectionMs !== null && <span className="text-zinc-500 dark:text-zinc-400">detected in {formatDuration(event.detectionMs)}</span>;
  if (event.kind === "health" && event.from && event.to) {
    return (
      <span className="flex flex-wrap items-center gap-x-2 gap-y-1">
        <HealthBadge health={event.from} />
        <span aria-hidden className="text-zinc-500 dark:text-zinc-400">
          →
        </span>
        <HealthBadge health={event.to} />
        {detected}
      </span>
    );
  }
  if (event.kind === "failover" || event.kind === "recovery" || event.kind === "maintenance") {
    const shares = formatTakeover(event.takeover, event.takeoverMore);
    // A mass change (a lease expiring, a drain by selector) is one event that counts its instances.
    const counts =
      event.instanceId === null &&
      [event.leftCount > 0 && `${event.leftCount.toLocaleString("en-US")} left`, event.joinedCount > 0 && `${event.joinedCount.toLocaleString("en-US")} joined`]
        .filter(Boolean)
        .join(", ");
    return (
      <span className="flex flex-wrap items-center gap-x-2 gap-y-1">
        {counts && (
          <span className="font-medium" data-testid="event-counts">
            {counts}
          </span>
        )}
        {detected}
        {detected && (
          <span aria-hidden className="text-zinc-500 dark:text-zinc-400">
            ·
          </span>
        )}
        <span>
          {event.kind === "failover" || (event.kind === "maintenance" && event.leftCount > 0) ? "taken over by " : "traffic now "}
          {shares ? <span className="font-medium">{shares}</span> : <span className="font-medium text-rose-600 dark:text-rose-400">no instance</span>}
        </span>
      </span>
    );
  }
  return null;
}

/** Failover, outage, flapping and health events, newest first, each linking to its service and instance. */
export function EventList({ events, empty = "No event yet." }: { events: TEventView[]; empty?: string }) {
  if (events.length === 0) return <EmptyState>{empty}</EmptyState>;
  return (
    // Laid out by the card's width, not the window's: the list fills the events page and half of the overview.
    <ul className="@container divide-y divide-zinc-100 dark:divide-zinc-800">
      {events.map((event) => (
        <li
          key={event.id}
          data-testid="event"
          data-kind={event.kind}
          data-silenced={event.silenced}
          className="grid grid-cols-[5.5rem_auto_1fr] gap-x-4 gap-y-1 px-4 py-2 text-sm @2xl:grid-cols-[6.5rem_6rem_minmax(10rem,16rem)_1fr]"
        >
          <span className="text-xs text-zinc-500 dark:text-zinc-400">
            <TimeAgo at={event.at} />
          </span>
          <span className="flex flex-wrap items-start gap-1">
            <Badge tone={kindTones[event.kind]}>{event.kind}</Badge>
            {event.silenced && <SilencedBadge />}
          </span>
          <SubjectLink service={event.service} instanceId={event.instanceId} />
          <span className="col-span-3 min-w-0 space-y-0.5 @2xl:col-span-1">
            <Detail event={event} />
            <span className="block truncate text-xs text-zinc-500 dark:text-zinc-400" title={event.reason}>
              {event.reason}
            </span>
          </span>
        </li>
      ))}
    </ul>
  );
}
