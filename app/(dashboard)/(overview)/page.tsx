import type { Metadata } from "next";
import { requirePageUser } from "@/lib/auth/session";
import { parseEventFilters } from "@/lib/health/event-filters";
import { getEventHighlights, listEvents } from "@/lib/health/queries";
import { parseIncidentFilters } from "@/lib/incidents/incident-filters";
import { listIncidents } from "@/lib/incidents/queries";
import { toSearch, type TSearchParams } from "@/lib/pagination/search-params";
import { getOverview } from "@/lib/registry/service-detail";
import { listServicePage } from "@/lib/status/service-list";
import { parseServiceListQuery, toServiceListSearch } from "@/lib/status/service-list-query";
import { readTimeRange, timeRangeSearch } from "@/lib/time/range";
import { OverviewClient } from "./page-client";

export const metadata: Metadata = { title: "Overview" };

type TProps = { searchParams: Promise<TSearchParams> };

/** How many services the overview shows a page: the least healthy, then on by page. */
const overviewServicesLimit = 10;

export default async function OverviewPage({ searchParams }: TProps) {
  await requirePageUser(); // a page can be fetched without its layout, so it checks for itself
  // The latest health changes in the console's range, as the events page lists them; a range it cannot read is all time.
  const search = await searchParams;
  const { range } = readTimeRange(search);
  // Least healthy first, a page of them; a page number that cannot be read is the first.
  const spage = typeof search.spage === "string" && /^\d{1,3}$/.test(search.spage) && Number(search.spage) > 0 ? search.spage : "1";
  const servicesQuery = parseServiceListQuery({ sort: "status", page: spage, limit: String(overviewServicesLimit) });
  const healthQuery = toSearch({ kind: "health,flapping", limit: "8", ...timeRangeSearch(range) });
  // The most recently active incidents: a recurring failure is one row, however often it comes back.
  const incidentsQuery = toSearch({ limit: "5", ...timeRangeSearch(range) });
  const [overview, services, highlights, health, incidents] = await Promise.all([
    getOverview(),
    listServicePage({ query: servicesQuery }),
    getEventHighlights(),
    listEvents({ filters: parseEventFilters(new URLSearchParams(healthQuery)) }),
    listIncidents({ filters: parseIncidentFilters(new URLSearchParams(incidentsQuery)) }),
  ]);
  return (
    <OverviewClient
      initialOverview={overview}
      servicesQuery={toServiceListSearch(servicesQuery)}
      initialServices={services}
      initialHighlights={highlights}
      healthQuery={healthQuery}
      initialHealth={health}
      incidentsQuery={incidentsQuery}
      initialIncidents={incidents}
    />
  );
}
