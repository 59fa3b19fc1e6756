import Link from "next/link";
import { Badge, type TTone } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/table";
import { TimeAgo } from "@/components/ui/time-ago";
import { SilencedBadge } from "./silenced-badge";
import { formatDuration } from "@/lib/duration";
import type { TIncidentCause } from "@/lib/incidents/group-events";
import type { TIncidentView } from "@/lib/incidents/queries";
import { SubjectLink } from "./event-list";

// Maintenance in sky like its events and chart markers; failures in red while open.
const causeLabels: Record<TIncidentCause, { label: string; tone: TTone }> = {
  failover: { label: "failure", tone: "bad" },
  outage: { label: "outage", tone: "bad" },
  maintenance: { label: "maintenance", tone: "info" },
  flapping: { label: "flapping", tone: "warn" },
};

const clock = (iso: string) => iso.slice(11, 19);

function State({ incident }: { incident: TIncidentView }) {
  if (incident.endedAt === null) return <Badge tone={incident.cause === "maintenance" ? "info" : "bad"}>open</Badge>;
  return <Badge tone="neutral">{incident.ending === "retired" ? "retired" : "ended"}</Badge>;
}

/** Incidents, the most recently active first: what failed, how often, since when, and whether it still does. */
export function IncidentList({ incidents, empty = "No incident yet." }: { incidents: TIncidentView[]; empty?: string }) {
  if (incidents.length === 0) return <EmptyState>{empty}</EmptyState>;
  return (
    <ul className="@container divide-y divide-zinc-100 dark:divide-zinc-800">
      {incidents.map((incident) => {
        const cause = causeLabels[incident.cause];
        const lasted = (incident.endedAt ? Date.parse(incident.endedAt) : Date.parse(incident.at)) - Date.parse(incident.startedAt);
        return (
          <li
            key={incident.id}
            data-testid="incident"
            data-cause={incident.cause}
            data-count={incident.count}
            data-open={incident.endedAt === null}
            className="grid grid-cols-[5.5rem_auto_1fr] gap-x-4 gap-y-1 px-4 py-2 text-sm @2xl:grid-cols-[6.5rem_10rem_minmax(10rem,16rem)_1fr]"
          >
            <span className="text-xs text-zinc-500 dark:text-zinc-400">
              <TimeAgo at={incident.at} />
            </span>
            <span className="flex flex-wrap items-start gap-1">
              <Badge tone={incident.endedAt === null ? cause.tone : "neutral"}>{cause.label}</Badge>
              <State incident={incident} />
              {incident.silenced && <SilencedBadge />}
            </span>
            <SubjectLink service={incident.service} instanceId={incident.instanceId} />
            <span className="col-span-3 min-w-0 space-y-0.5 @2xl:col-span-1">
              <span className="flex flex-wrap items-center gap-x-2">
                {incident.recurring && (
                  <span className="font-medium" data-testid="incident-recurring" title={`at ${incident.times.map(clock).join(", ")} UTC`}>
                    recurring ×{incident.count.toLocaleString("en-US")}
                  </span>
                )}
                <span className="text-zinc-500 dark:text-zinc-400">
                  since {clock(incident.startedAt)} UTC{lasted > 0 && `, ${formatDuration(lasted)}`}
                </span>
                <Link href={`/events/incidents/${incident.id}`} className="text-xs font-medium hover:underline">
                  Details
                </Link>
              </span>
              <span className="block truncate text-xs text-zinc-500 dark:text-zinc-400" title={incident.reason}>
                {incident.reason}
              </span>
            </span>
          </li>
        );
      })}
    </ul>
  );
}
