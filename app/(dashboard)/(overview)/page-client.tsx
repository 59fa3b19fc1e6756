"use client";

import { FiringAlerts } from "@/components/alerts/firing-alerts";
import { EventList } from "@/components/health/event-list";
import { IncidentList } from "@/components/health/incident-list";
import { LiveIndicator } from "@/components/live/live-indicator";
import { RangeLink } from "@/components/time/range-link";
import { TimeRangeBar } from "@/components/time/time-range-bar";
import { useLiveQuery } from "@/components/live/use-live-query";
import { Card, Stat } from "@/components/ui/card";
import { HealthBar } from "@/components/health/health-bar";
import { PageHeader } from "@/components/ui/page-header";
import { RegisterFirstService } from "@/components/ui/copy-command";
import { apiUrls } from "@/lib/clients/api-urls";
import type { TEventHighlights, TEventPage } from "@/lib/health/queries";
import type { TIncidentPage } from "@/lib/incidents/queries";
import type { TOverview, TServiceSummary } from "@/lib/registry/service-detail";
import { OpenOutages } from "./_components/open-outages";

type TProps = {
  initialOverview: TOverview;
  initialServices: TServiceSummary[];
  initialHighlights: TEventHighlights;
  healthQuery: string;
  initialHealth: TEventPage;
  incidentsQuery: string;
  initialIncidents: TIncidentPage;
};

export function OverviewClient({ initialOverview, initialServices, initialHighlights, healthQuery, initialHealth, incidentsQuery, initialIncidents }: TProps) {
  const highlights = useLiveQuery({ url: apiUrls.eventHighlights(), initialData: initialHighlights, intervalMs: 2000 });
  const overview = useLiveQuery({ url: apiUrls.overview(), initialData: initialOverview, intervalMs: 2000 });
  const services = useLiveQuery({ url: apiUrls.services(), initialData: { services: initialServices }, intervalMs: 2000 });
  const health = useLiveQuery({ url: apiUrls.events(healthQuery), initialData: initialHealth, intervalMs: 2000 });
  const incidents = useLiveQuery({ url: apiUrls.incidents(incidentsQuery), initialData: initialIncidents, intervalMs: 2000 });
  const { instances } = overview.data;
  // Services with the most instances out of passing come first.
  const byAttention = [...services.data.services].sort(
    (a, b) => b.instances.total - b.instances.passing - (a.instances.total - a.instances.passing) || a.name.localeCompare(b.name),
  );

  return (
    <>
      <PageHeader
        title="Overview"
        description="The fleet as the registry sees it now."
        action={<LiveIndicator live={[overview, services, highlights, health, incidents]} />}
      />
      <div className="mb-4">
        <TimeRangeBar fallback={null} />
      </div>
      <OpenOutages outages={highlights.data.openOutages} />
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
        <Card
          title="Services, least healthy first"
          action={
            <RangeLink href="/services" className="text-xs text-zinc-500 dark:text-zinc-400 hover:underline">
              All services
            </RangeLink>
          }
        >
          {byAttention.length === 0 ? (
            <RegisterFirstService />
          ) : (
            <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {byAttention.map((service) => (
                <li key={service.name} className="flex items-center gap-4 px-4 py-2 text-sm">
                  <RangeLink href={`/services/${encodeURIComponent(service.name)}`} className="w-36 truncate font-medium hover:underline">
                    {service.name}
                  </RangeLink>
                  <HealthBar counts={service.instances} />
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card title="Latest health changes" action={<span className="text-xs text-zinc-500 dark:text-zinc-400">in the time range</span>}>
          <EventList events={health.data.events} empty="No health changes yet." />
        </Card>
      </div>
    </>
  );
}
