import Link from "next/link";
import { HealthBadge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/table";
import { TimeAgo } from "@/components/ui/time-ago";

export type THealthEventView = { id: string; service: string; instanceId: string; from: string; to: string; reason: string; at: string };

export function HealthEventsList({ events }: { events: THealthEventView[] }) {
  if (events.length === 0) return <EmptyState>No health changes yet.</EmptyState>;
  return (
    <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
      {events.map((event) => (
        <li key={event.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-4 py-2 text-sm">
          <span className="w-28 shrink-0 text-xs text-zinc-500">
            <TimeAgo at={event.at} />
          </span>
          <Link href={`/services/${event.service}`} className="font-medium hover:underline">
            {event.instanceId}
          </Link>
          <span className="flex items-center gap-1">
            <HealthBadge health={event.from} />
            <span aria-hidden className="text-zinc-400">→</span>
            <HealthBadge health={event.to} />
          </span>
          <span className="min-w-0 flex-1 truncate text-xs text-zinc-500" title={event.reason}>
            {event.reason}
          </span>
        </li>
      ))}
    </ul>
  );
}
