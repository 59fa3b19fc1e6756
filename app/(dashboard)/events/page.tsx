import type { Metadata } from "next";
import { requirePageUser } from "@/lib/auth/session";
import { parseEventFilters, toEventSearch } from "@/lib/health/event-filters";
import { listEvents } from "@/lib/health/queries";
import { parseIncidentFilters, toIncidentSearch } from "@/lib/incidents/incident-filters";
import { listIncidents } from "@/lib/incidents/queries";
import { parsePageSearch } from "@/lib/pagination/page-search";
import type { TSearchParams } from "@/lib/pagination/search-params";
import { listServices } from "@/lib/registry/service-detail";
import { EventsViewClient } from "./page-client";

export const metadata: Metadata = { title: "Events" };

type TProps = { searchParams: Promise<TSearchParams> };

// Incidents by default; ?view=events shows every raw event, as does a link filtering events by kind.
export default async function EventsPage({ searchParams }: TProps) {
  await requirePageUser(); // a page can be fetched without its layout, so it checks for itself
  const { view, ...search } = await searchParams;
  if (view === "events" || search.kind !== undefined) {
    const { value: filters, problem } = parsePageSearch(search, parseEventFilters);
    const [page, services] = await Promise.all([listEvents({ filters }), listServices()]);
    return (
      <EventsViewClient
        view="events"
        query={toEventSearch(filters)}
        filters={{ service: filters.service ?? "", kind: filters.kind?.join(",") ?? "", paged: Boolean(filters.before) }}
        initialPage={page}
        services={services.map((service) => service.name)}
        problem={problem}
      />
    );
  }
  const { value: filters, problem } = parsePageSearch(search, parseIncidentFilters);
  const [page, services] = await Promise.all([listIncidents({ filters }), listServices()]);
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
      services={services.map((service) => service.name)}
      problem={problem}
    />
  );
}
