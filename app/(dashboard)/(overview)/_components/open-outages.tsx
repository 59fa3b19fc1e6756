import { RangeLink } from "@/components/time/range-link";
import { TimeAgo } from "@/components/ui/time-ago";
import type { TEventHighlights } from "@/lib/health/queries";

/** Services with no instance able to take traffic, the oldest ten and how many in all; nothing at all when there is none. */
export function OpenOutages({ outages, count }: { outages: TEventHighlights["openOutages"]; count: number }) {
  if (outages.length === 0) return null;
  return (
    <section role="alert" aria-label="Open outages" className="mb-6 rounded-lg border border-rose-300 bg-rose-50 dark:border-rose-900 dark:bg-rose-950/60">
      <h2 className="flex items-center gap-2 border-b border-rose-200 px-4 py-2 text-sm font-semibold text-rose-800 dark:border-rose-900 dark:text-rose-200">
        <span aria-hidden className="size-2 animate-pulse rounded-full bg-rose-600" />
        {count === 1 ? "1 service is down" : `${count} services are down`}: no instance can take traffic
      </h2>
      <ul className="divide-y divide-rose-200 dark:divide-rose-900">
        {outages.map((outage) => (
          <li key={outage.id} data-testid="open-outage" className="flex flex-wrap items-baseline gap-x-3 px-4 py-2 text-sm text-rose-900 dark:text-rose-100">
            <RangeLink href={`/services/${encodeURIComponent(outage.service)}`} className="font-semibold hover:underline">
              {outage.service}
            </RangeLink>
            <span className="text-xs">
              began <TimeAgo at={outage.since} />
            </span>
            <span className="min-w-0 flex-1 truncate text-xs text-rose-700 dark:text-rose-300" title={outage.reason}>
              {outage.reason}
            </span>
            <RangeLink href={`/events?service=${encodeURIComponent(outage.service)}`} className="text-xs font-medium hover:underline">
              Events
            </RangeLink>
          </li>
        ))}
      </ul>
      {count > outages.length && (
        <p className="border-t border-rose-200 px-4 py-2 text-xs text-rose-800 dark:border-rose-900 dark:text-rose-200">
          The {outages.length} oldest shown; {count - outages.length} more.{" "}
          <RangeLink href="/services?status=failing" className="font-medium underline">
            Failing services
          </RangeLink>
        </p>
      )}
    </section>
  );
}
