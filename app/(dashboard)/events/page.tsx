import type { Metadata } from "next";
import { SkeletonBoundary } from "@/components/ui/page-skeleton";
import { requirePageUser } from "@/lib/auth/session";
import { parseEventFilters, toEventSearch } from "@/lib/health/event-filters";
import { listEvents } from "@/lib/health/queries";
import { parseIncidentFilters, toIncidentSearch } from "@/lib/incidents/incident-filters";
import { listIncidents } from "@/lib/incidents/queries";
import { parsePageSearch } from "@/lib/pagination/page-search";
import type { TSearchParams } from "@/lib/pagination/search-params";
import { EventsViewClient } from "./page-client";

export const metadata: Metadata = { title: "Events" };

type TProps = { searchParams: Promise<TSearchParams> };

// Incidents by default; ?view=events shows every raw event, as does a link filtering events by kind.
async function EventsView({ searchParams }: TProps) {
  await requirePageUser(); // a page can be fetched without its layout, so it checks for itself
  const { view, ...search } = await searchParams;
  if (view === "events" || search.kind !== undefined) {
    const { value: filters, problem } = parsePageSearch(search, parseEventFilters);
    const page = await listEvents({ filters });
    return (
      <EventsViewClient
        view="events"
        query={toEventSearch(filters)}
        filters={{ service: filters.service ?? "", kind: filters.kind?.join(",") ?? "", paged: Boolean(filters.before) }}
        initialPage={page}
        problem={problem}
      />
    );
  }
  const { value: filters, problem } = parsePageSearch(search, parseIncidentFilters);
  const page = await listIncidents({ filters });
  return (
    <EventsViewClient
      view="incidents"
      query={toIncidentSearch(filters)}
      filters={{
        service: filters.service ?? "",
        cause: filters.cause ?? "",
        state: filters.state ?? "",
        paged: Boolean(filters.before),
      }}
      initialPage={page}
      problem={problem}
    />
  );
}

// Its own boundary: a loading.tsx here would also wrap the detail pages below (see SkeletonBoundary).
export default function EventsPage(props: TProps) {
  return (
    <SkeletonBoundary>
      <EventsView {...props} />
    </SkeletonBoundary>
  );
}
