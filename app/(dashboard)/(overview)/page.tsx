import type { Metadata } from "next";
import { requirePageUser } from "@/lib/auth/session";
import { parseEventFilters } from "@/lib/health/event-filters";
import { getEventHighlights, listEvents } from "@/lib/health/queries";
import { parseIncidentFilters } from "@/lib/incidents/incident-filters";
import { listIncidents } from "@/lib/incidents/queries";
import { listServices, getOverview } from "@/lib/registry/service-detail";
import { OverviewClient } from "./page-client";

export const metadata: Metadata = { title: "Overview" };

// The latest health changes, as the events page lists them.
const healthQuery = new URLSearchParams({ kind: "health,flapping", limit: "8" }).toString();
// The most recently active incidents: a recurring failure is one row, however often it comes back.
const incidentsQuery = new URLSearchParams({ limit: "5" }).toString();

export default async function OverviewPage() {
  await requirePageUser(); // a page can be fetched without its layout, so it checks for itself
  const [overview, services, highlights, health, incidents] = await Promise.all([
    getOverview(),
    listServices(),
    getEventHighlights(),
    listEvents({ filters: parseEventFilters(new URLSearchParams(healthQuery)) }),
    listIncidents({ filters: parseIncidentFilters(new URLSearchParams(incidentsQuery)) }),
  ]);
  return (
    <OverviewClient
      initialOverview={overview}
      initialServices={services}
      initialHighlights={highlights}
      healthQuery={healthQuery}
      initialHealth={health}
      incidentsQuery={incidentsQuery}
      initialIncidents={incidents}
    />
  );
}
