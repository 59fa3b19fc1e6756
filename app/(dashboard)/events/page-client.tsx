"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { EventList } from "@/components/health/event-list";
import { IncidentList } from "@/components/health/incident-list";
import { useHydrated } from "@/components/health/use-hydrated";
import { LiveIndicator } from "@/components/live/live-indicator";
import { TimeRangeBar } from "@/components/time/time-range-bar";
import { useLiveQuery } from "@/components/live/use-live-query";
import { Card } from "@/components/ui/card";
import { FormError } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { ServicePicker } from "@/components/ui/service-picker";
import { apiUrls } from "@/lib/clients/api-urls";
import { eventKinds } from "@/lib/health/event-filters";
import type { TEventPage } from "@/lib/health/queries";
import { incidentCauses } from "@/lib/incidents/group-events";
import { incidentStates } from "@/lib/incidents/incident-filters";
import type { TIncidentPage } from "@/lib/incidents/queries";
import { withSearch } from "@/lib/pagination/search-params";

type TView = "incidents" | "events";
type TShared = { query: string; problem: string | null };

const select = "rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm shadow-sm focus:border-zinc-500 dark:border-zinc-700 dark:bg-zinc-950";
const described: Record<TView, string> = {
  incidents: "Incidents: related events grouped, a failure that keeps coming back counted as one. Raw events show every change.",
  events: "Failovers, outages, maintenance, flapping and every health change, newest first.",
};
// The raw events' links carry view=events; the incidents are the page's default.
const viewParam: Record<TView, string | null> = { incidents: null, events: "events" };

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

type TViewProps =
  | { view: "events"; filters: { service: string; kind: string; paged: boolean }; initialPage: TEventPage }
  | { view: "incidents"; filters: { service: string; cause: string; state: string; paged: boolean }; initialPage: TIncidentPage };

/**
 * The events page in either view, incidents (the default) or raw events: the header with the view switch, a link's
 * filters not understood, the filter bar and range, and paging by cursor. A filter change starts again at the newest;
 * the URL holds the filters so a view can be linked.
 */
export function EventsViewClient({ query, problem, ...props }: TShared & TViewProps) {
  const { view, filters } = props;
  const router = useRouter();
  const live = useLiveQuery<TEventPage | TIncidentPage>({
    url: view === "events" ? apiUrls.events(query) : apiUrls.incidents(query),
    initialData: props.initialPage,
    intervalMs: 2000,
  });
  const { data } = live;
  const what = view === "incidents" ? "incidents" : "events";
  const link = (changes: Record<string, string | null>) => withSearch("/events", query, { view: viewParam[view], ...changes });
  const setFilter = (key: string, value: string) => router.replace(link({ before: null, [key]: value === "all" ? null : value }), { scroll: false });
  const empty = query ? `No ${what.slice(0, -1)} matches these filters.` : `No ${what.slice(0, -1)} yet.`;
  return (
    <>
      <PageHeader
        title="Events"
        description={described[view]}
        action={
          <div className="flex items-center gap-3">
            <ViewSwitch view={view} />
            <LiveIndicator live={live} />
          </div>
        }
      />
      <div className="mb-4 space-y-2">
        <TimeRangeBar fallback={null} />
        {problem && <FormError message={`This link's filters were not understood (${problem}); showing all ${what} instead.`} />}
      </div>
      <Card
        title={
          <div className="flex flex-wrap items-center gap-3 font-normal">
            <ServicePicker label="Service" value={filters.service} all="All services" onChange={(v) => setFilter("service", v || "all")} />
            {props.view === "events" ? (
              // A link may filter by several kinds at once: offered as it came.
              <Choice
                label="Kind"
                value={props.filters.kind}
                options={props.filters.kind.includes(",") ? [props.filters.kind, ...eventKinds] : eventKinds}
                all="All kinds"
                onChange={(v) => setFilter("kind", v)}
              />
            ) : (
              <>
                <Choice label="Cause" value={props.filters.cause} options={incidentCauses} all="All causes" onChange={(v) => setFilter("cause", v)} />
                <Choice label="State" value={props.filters.state} options={incidentStates} all="Open and ended" onChange={(v) => setFilter("state", v)} />
              </>
            )}
          </div>
        }
      >
        {filters.paged && (
          <p className="border-b border-zinc-100 px-4 py-2 text-xs text-zinc-500 dark:text-zinc-400 dark:border-zinc-800">
            Showing older {what}.{" "}
            <Link href={link({ before: null })} className="font-medium text-zinc-900 hover:underline dark:text-zinc-100">
              Back to the newest
            </Link>
          </p>
        )}
        {"events" in data ? <EventList events={data.events} empty={empty} /> : <IncidentList incidents={data.incidents} empty={empty} />}
        {data.nextCursor && (
          <div className="border-t border-zinc-100 px-4 py-2 text-right text-sm dark:border-zinc-800">
            <Link href={link({ before: data.nextCursor })} className="font-medium hover:underline">
              Older {what} →
            </Link>
          </div>
        )}
      </Card>
    </>
  );
}

/** A filter's select: "" is every value. */
function Choice({
  label,
  value,
  options,
  all,
  onChange,
}: {
  label: string;
  value: string;
  options: readonly string[];
  all: string;
  onChange: (value: string) => void;
}) {
  const hydrated = useHydrated();
  return (
    <label className="flex items-center gap-2 text-xs text-zinc-500 dark:text-zinc-400">
      {label}
      <select aria-label={label} disabled={!hydrated} className={select} value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="">{all}</option>
        {options.map((option) => (
          <option key={option} value={option}>
            {option.replaceAll(",", ", ")}
          </option>
        ))}
      </select>
    </label>
  );
}
