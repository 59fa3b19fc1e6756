"use client";

import Link from "next/link";
import { AuditChange } from "./audit-change";
import { instanceHref } from "@/components/health/event-list";
import { LocalTime } from "@/components/time/time-zone";
import { Badge, type TTone } from "@/components/ui/badge";
import { EmptyState, Table, Td } from "@/components/ui/table";
import { TimeAgo } from "@/components/ui/time-ago";
import type { TAuditEventView } from "@/lib/audit/queries";

const actorTones: Record<string, TTone> = { user: "info", token: "warn", system: "neutral" };

function Actor({ actor }: { actor: TAuditEventView["actor"] }) {
  // A user is shown with the role they have now; one deleted since, or a token or Meshdeck itself, with its kind.
  const label = actor.type === "user" && actor.role ? actor.role : actor.type;
  const title =
    actor.type === "user" ? (actor.role ? `user, role now ${actor.role}` : "user, no longer exists") : actor.type === "token" ? "API token" : "Meshdeck itself";
  return (
    <div className="min-w-0">
      <div className="truncate font-medium" title={actor.id ? `${actor.name} (${actor.id})` : actor.name}>
        {actor.name}
      </div>
      <Badge tone={actorTones[actor.type] ?? "neutral"} title={title}>
        {label}
      </Badge>
    </div>
  );
}

// A drained or weighted instance's target is `instance/<service>/<id>`: a link to the instance's page.
function TargetLink({ target }: { target: string }) {
  const instance = /^instance\/([^/]+)\/(.+)$/.exec(target);
  if (!instance?.[1] || !instance[2]) return target;
  return (
    <Link
      href={instanceHref(instance[1], instance[2])}
      className="underline decoration-zinc-300 underline-offset-2 hover:decoration-current dark:decoration-zinc-600"
    >
      {target}
    </Link>
  );
}

const dash = <span className="text-zinc-500 dark:text-zinc-400">—</span>;

/** The audit log as a table, newest first; nothing in it can be edited or deleted. */
export function AuditTable({ events, empty }: { events: TAuditEventView[]; empty: string }) {
  return (
    <Table head={["Time", "Who", "Action / target", "Service", "Change", "Reason"]} empty={events.length === 0 && <EmptyState>{empty}</EmptyState>}>
      {events.map((event) => (
        <tr key={event.id} data-testid="audit-event" data-action={event.action} className="hover:bg-zinc-50/60 dark:hover:bg-zinc-800/30">
          <Td className="w-40 whitespace-nowrap text-xs">
            <TimeAgo at={event.at} />
            <LocalTime at={event.at} className="block whitespace-nowrap text-[11px] tabular-nums text-zinc-500 dark:text-zinc-400" />
          </Td>
          <Td className="max-w-40">
            <Actor actor={event.actor} />
          </Td>
          {/* The target sits under its action: one column fewer keeps the change readable on a laptop screen. */}
          <Td className="max-w-56">
            <span className="block font-mono text-xs">{event.action}</span>
            <span className="block truncate font-mono text-[11px] text-zinc-500 dark:text-zinc-400" title={event.target}>
              <TargetLink target={event.target} />
            </span>
          </Td>
          <Td className="text-sm">
            {event.service ? (
              <Link
                href={`/services/${encodeURIComponent(event.service)}`}
                className="font-medium underline decoration-zinc-300 underline-offset-2 hover:decoration-current dark:decoration-zinc-600"
              >
                {event.service}
              </Link>
            ) : (
              dash
            )}
          </Td>
          <Td className="min-w-48 max-w-80">
            <AuditChange before={event.before} after={event.after} />
          </Td>
          <Td className="min-w-32 max-w-64 text-xs">
            {event.reason ? (
              <span className="line-clamp-3 break-words" title={event.reason}>
                {event.reason}
              </span>
            ) : (
              dash
            )}
          </Td>
        </tr>
      ))}
    </Table>
  );
}
