"use client";

import { useSearchParams } from "next/navigation";
import { FiringAlerts } from "@/components/alerts/firing-alerts";
import { EventList } from "@/components/health/event-list";
import { IncidentList } from "@/components/health/incident-list";
import { LiveIndicator } from "@/components/live/live-indicator";
import { RangeLink } from "@/components/time/range-link";
import { TimeRangeBar } from "@/components/time/time-range-bar";
import { useLiveQuery } from "@/components/live/use-live-query";
import { Card, Stat } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { apiUrls } from "@/lib/clients/api-urls";
import type { TEventHighlights, TEventPage } from "@/lib/health/queries";
import type { TIncidentPage } from "@/lib/incidents/queries";
import type { TOverview } from "@/lib/registry/service-detail";
import type { TServicePage } from "@/lib/status/service-list";
import { OpenOutages } from "./_components/open-outages";
import { ServicesByStatus } from "./_components/services-by-status";

type TProps = {
  initialOverview: TOverview;
  servicesQuery: string;
  initialServices: TServicePage;
  initialHighlights: TEventHighlights;
  healthQuery: string;
  initialHealth: TEventPage;
  incidentsQuery: string;
  initialIncidents: TIncidentPage;
};

// Five polls: every 5 s, and an unchanged answer is a bodiless 304, so an open overview costs well under 100 KB a minute.
const pollMs = 5000;

export function OverviewClient({
  initialOverview,
  servicesQuery,
  initialServices,
  initialHighlights,
  healthQuery,
  initialHealth,
  incidentsQuery,
  initialIncidents,
}: TProps) {
  const highlights = useLiveQuery({ url: apiUrls.eventHighlights(), initialData: initialHighlights, intervalMs: pollMs });
  const overview = useLiveQuery({ url: apiUrls.overview(), initialData: initialOverview, intervalMs: pollMs });
  const health = useLiveQuery({ url: apiUrls.events(healthQuery), initialData: initialHealth, intervalMs: pollMs });
  const incidents = useLiveQuery({ url: apiUrls.incidents(incidentsQuery), initialData: initialIncidents, intervalMs: pollMs });
  const { instances } = overview.data;
  // The overview's own query string (range, spage): the services card pages within it.
  const search = useSearchParams().toString();

  return (
    <>
      <PageHeader
        title="Overview"
        description="The fleet as the registry sees it now."
        action={<LiveIndicator live={[overview, highlights, health, incidents]} />}
      />
      <div className="mb-4">
        <TimeRangeBar fallback={null} />
      </div>
      <OpenOutages outages={highlights.data.openOutages} count={highlights.data.openOutageCount} />
      <FiringAlerts />
      <Card
        title="Latest incidents"
        className="mb-6"
        action={
          <span className="flex gap-3">
            <RangeLink href="/events" className="text-xs text-zinc-500 dark:text-zinc-400 hover:underline">
              All incidents
            </RangeLink>
            <RangeLink href="/events?kind=failover,recovery,outage,outage-end,maintenance" className="text-xs text-zinc-500 dark:text-zinc-400 hover:underline">
              Raw failover events
            </RangeLink>
          </span>
        }
      >
        <IncidentList
          incidents={incidents.data.incidents}
          empty="No incident yet: failures, outages and maintenance will be listed here, a recurring one counted once."
        />
      </Card>
      <div className="grid grid-cols-2 gap-4 lg:grid-cols-5">
        <Stat label="Services" value={overview.data.services} />
        <Stat label="Instances" value={instances.total} hint={overview.data.drained ? `${overview.data.drained} drained` : undefined} />
        <Stat label="Passing" value={instances.passing} tone="good" />
        <Stat label="Warning / unknown" value={`${instances.warning} / ${instances.unknown}`} tone={instances.warning ? "warn" : "default"} />
        <Stat label="Critical" value={instances.critical} tone={instances.critical ? "bad" : "default"} />
      </div>
      <div className="mt-6 grid gap-6 lg:grid-cols-2">
        <ServicesByStatus query={servicesQuery} search={search} initialPage={initialServices} />
        <Card title="Latest health changes" action={<span className="text-xs text-zinc-500 dark:text-zinc-400">in the time range</span>}>
          <EventList events={health.data.events} empty="No health changes yet." />
        </Card>
      </div>
    </>
  );
}
