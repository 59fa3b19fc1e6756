"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { EventList } from "@/components/health/event-list";
import { IncidentList } from "@/components/health/incident-list";
import { RangeControl } from "@/components/health/range-control";
import { useHydrated } from "@/components/health/use-hydrated";
import { LiveIndicator } from "@/components/live/live-indicator";
import { useLiveQuery } from "@/components/live/use-live-query";
import { Card } from "@/components/ui/card";
import { FormError } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { apiUrls } from "@/lib/clients/api-urls";
import { eventKinds } from "@/lib/health/event-filters";
import type { TEventPage } from "@/lib/health/queries";
import { incidentCauses } from "@/lib/incidents/group-events";
import { incidentStates } from "@/lib/incidents/incident-filters";
import type { TIncidentPage } from "@/lib/incidents/queries";
import { timelineRangeNames } from "@/lib/health/timeline";
import { withSearch } from "@/lib/pagination/search-params";

type TShownFilters = { service: string; kind: string; range: string; paged: boolean };
type TView = "incidents" | "events";

/** Incidents (the default) or every raw event: two links, the current one marked. */
function ViewSwitch({ view }: { view: TView }) {
  const tab = (active: boolean) =>
    `rounded-md px-2.5 py-1 text-sm font-medium ${active ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900" : "text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"}`;
  return (
    <nav aria-label="View" className="flex gap-1">
      <Link href="/events" className={tab(view === "incidents")} aria-current={view === "incidents" ? "page" : undefined}>
        Incidents
      </Link>
      <Link href="/events?view=events" className={tab(view === "events")} aria-current={view === "events" ? "page" : undefined}>
        Raw events
      </Link>
    </nav>
  );
}

const rangeOptions = ["all", ...timelineRangeNames] as const;
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
  const { data, error } = useLiveQuery({ url: apiUrls.events(query), initialData: initialPage, intervalMs: 2000 });

  // A filter change starts again at the newest events; the URL holds the filters so a view can be linked.
  const setFilter = (key: "service" | "kind" | "range", value: string) => {
    router.replace(withSearch("/events", query, { view: "events", before: null, [key]: value === "all" ? null : value }), { scroll: false });
  };
  const olderHref = () => withSearch("/events", query, { view: "events", before: data.nextCursor });
  const newestHref = () => withSearch("/events", query, { view: "events", before: null });
  const serviceOptions = filters.service && !services.includes(filters.service) ? [filters.service, ...services] : services;

  return (
    <>
      <PageHeader
        title="Events"
        description="Failovers, outages, maintenance, flapping and every health change, newest first."
        action={
          <div className="flex items-center gap-3">
            <ViewSwitch view="events" />
            <LiveIndicator error={error} />
          </div>
        }
      />
      {problem && (
        <div className="mb-4">
          <FormError message={`This link's filters were not understood (${problem}); showing all events instead.`} />
        </div>
      )}
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
        action={<RangeControl label="Time range" value={filters.range || "all"} options={rangeOptions} onChange={(range) => setFilter("range", range)} />}
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

type TIncidentFilterShown = { service: string; cause: string; state: string; range: string; paged: boolean };

/** Related events grouped: one row per incident, a recurring failure counted instead of repeated. */
export function IncidentsClient({
  query,
  filters,
  initialPage,
  services,
  problem,
}: {
  query: string;
  filters: TIncidentFilterShown;
  initialPage: TIncidentPage;
  services: string[];
  problem: string | null;
}) {
  const router = useRouter();
  const hydrated = useHydrated();
  const { data, error } = useLiveQuery({ url: apiUrls.incidents(query), initialData: initialPage, intervalMs: 2000 });
  const setFilter = (key: "service" | "cause" | "state" | "range", value: string) => {
    router.replace(withSearch("/events", query, { before: null, [key]: value === "all" ? null : value }), { scroll: false });
  };
  const serviceOptions = filters.service && !services.includes(filters.service) ? [filters.service, ...services] : services;
  const choice = (label: string, key: "service" | "cause" | "state", value: string, options: readonly string[], all: string) => (
    <label className="flex items-center gap-2 text-xs text-zinc-500">
      {label}
      <select aria-label={label} disabled={!hydrated} className={select} value={value} onChange={(event) => setFilter(key, event.target.value)}>
        <option value="">{all}</option>
        {options.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <>
      <PageHeader
        title="Events"
        description="Incidents: related events grouped, a failure that keeps coming back counted as one. Raw events show every change."
        action={
          <div className="flex items-center gap-3">
            <ViewSwitch view="incidents" />
            <LiveIndicator error={error} />
          </div>
        }
      />
      {problem && (
        <div className="mb-4">
          <FormError message={`This link's filters were not understood (${problem}); showing all incidents instead.`} />
        </div>
      )}
      <Card
        title={
          <div className="flex flex-wrap items-center gap-3 font-normal">
            {choice("Service", "service", filters.service, serviceOptions, "All services")}
            {choice("Cause", "cause", filters.cause, incidentCauses, "All causes")}
            {choice("State", "state", filters.state, incidentStates, "Open and ended")}
          </div>
        }
        action={<RangeControl label="Time range" value={filters.range || "all"} options={rangeOptions} onChange={(range) => setFilter("range", range)} />}
      >
        {filters.paged && (
          <p className="border-b border-zinc-100 px-4 py-2 text-xs text-zinc-500 dark:border-zinc-800">
            Showing older incidents.{" "}
            <Link href={withSearch("/events", query, { before: null })} className="font-medium text-zinc-900 hover:underline dark:text-zinc-100">
              Back to the newest
            </Link>
          </p>
        )}
        <IncidentList incidents={data.incidents} empty={query ? "No incident matches these filters." : "No incident yet."} />
        {data.nextCursor && (
          <div className="border-t border-zinc-100 px-4 py-2 text-right text-sm dark:border-zinc-800">
            <Link href={withSearch("/events", query, { before: data.nextCursor })} className="font-medium hover:underline">
              Older incidents →
            </Link>
          </div>
        )}
      </Card>
    </>
  );
}
