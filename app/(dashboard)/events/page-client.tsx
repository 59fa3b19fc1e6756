"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { EventList } from "@/components/health/event-list";
import { useHydrated } from "@/components/health/use-hydrated";
import { LiveIndicator } from "@/components/live/live-indicator";
import { TimeRangeBar } from "@/components/time/time-range-bar";
import { useLiveQuery } from "@/components/live/use-live-query";
import { Card } from "@/components/ui/card";
import { FormError } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { apiUrls } from "@/lib/clients/api-urls";
import { eventKinds } from "@/lib/health/event-filters";
import type { TEventPage } from "@/lib/health/queries";
import { withSearch } from "@/lib/pagination/search-params";

type TShownFilters = { service: string; kind: string; paged: boolean };
const select =
  "rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm shadow-sm outline-none focus:border-zinc-500 dark:border-zinc-700 dark:bg-zinc-950";

export function EventsClient({
  query,
  filters,
  initialPage,
  services,
  problem,
}: {
  query: string;
  filters: TShownFilters;
  initialPage: TEventPage;
  services: string[];
  problem: string | null;
}) {
  const router = useRouter();
  const hydrated = useHydrated();
  const live = useLiveQuery({ url: apiUrls.events(query), initialData: initialPage, intervalMs: 2000 });
  const { data } = live;

  // A filter change starts again at the newest events; the URL holds the filters so a view can be linked.
  const setFilter = (key: "service" | "kind", value: string) => {
    router.replace(withSearch("/events", query, { before: null, [key]: value === "all" ? null : value }), { scroll: false });
  };
  const olderHref = () => withSearch("/events", query, { before: data.nextCursor });
  const newestHref = () => withSearch("/events", query, { before: null });
  const serviceOptions = filters.service && !services.includes(filters.service) ? [filters.service, ...services] : services;

  return (
    <>
      <PageHeader title="Events" description="Failovers, outages, flapping and every health change, newest first." action={<LiveIndicator live={live} />} />
      <div className="mb-4 space-y-2">
        <TimeRangeBar fallback={null} />
        {problem && <FormError message={`This link's filters were not understood (${problem}); showing all events instead.`} />}
      </div>
      <Card
        title={
          <div className="flex flex-wrap items-center gap-3 font-normal">
            <label className="flex items-center gap-2 text-xs text-zinc-500">
              Service
              <select
                aria-label="Service"
                disabled={!hydrated}
                className={select}
                value={filters.service}
                onChange={(event) => setFilter("service", event.target.value)}
              >
                <option value="">All services</option>
                {serviceOptions.map((name) => (
                  <option key={name} value={name}>
                    {name}
                  </option>
                ))}
              </select>
            </label>
            <label className="flex items-center gap-2 text-xs text-zinc-500">
              Kind
              <select
                aria-label="Kind"
                disabled={!hydrated}
                className={select}
                value={filters.kind}
                onChange={(event) => setFilter("kind", event.target.value)}
              >
                <option value="">All kinds</option>
                {filters.kind.includes(",") && <option value={filters.kind}>{filters.kind.replaceAll(",", ", ")}</option>}
                {eventKinds.map((kind) => (
                  <option key={kind} value={kind}>
                    {kind}
                  </option>
                ))}
              </select>
            </label>
          </div>
        }
      >
        {filters.paged && (
          <p className="border-b border-zinc-100 px-4 py-2 text-xs text-zinc-500 dark:border-zinc-800">
            Showing older events.{" "}
            <Link href={newestHref()} className="font-medium text-zinc-900 hover:underline dark:text-zinc-100">
              Back to the newest
            </Link>
          </p>
        )}
        <EventList events={data.events} empty={query ? "No event matches these filters." : "No event yet."} />
        {data.nextCursor && (
          <div className="border-t border-zinc-100 px-4 py-2 text-right text-sm dark:border-zinc-800">
            <Link href={olderHref()} className="font-medium hover:underline">
              Older events →
            </Link>
          </div>
        )}
      </Card>
    </>
  );
}
