"use client";

import dynamic from "next/dynamic";
import { useRouter, useSearchParams } from "next/navigation";
import { HealthHistoryCard } from "../../_components/health-history-card";
import { InstanceTimelines } from "../../_components/instance-timelines";
import { isTrafficMode } from "../../_components/traffic-change";
import { TrafficPanel } from "../../_components/traffic-panel";
import { EventList } from "@/components/health/event-list";
import { LiveIndicator } from "@/components/live/live-indicator";
import { useLiveQuery } from "@/components/live/use-live-query";
import { RangeLink } from "@/components/time/range-link";
import { TimeRangeBar } from "@/components/time/time-range-bar";
import { useTimeRange } from "@/components/time/use-time-range";
import { Badge, HealthBadge, ProtocolBadge } from "@/components/ui/badge";
import { Card, Stat } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Skeleton } from "@/components/ui/skeleton";
import { EmptyState, Table, Td } from "@/components/ui/table";
import { TimeAgo, TimeUntil } from "@/components/ui/time-ago";
import { apiUrls } from "@/lib/clients/api-urls";
import type { TEventView, THealthHistory } from "@/lib/health/queries";
import type { TServiceChart } from "@/lib/metrics/views";
import type { TServiceInstanceDetail } from "@/lib/registry/instance-detail";
import { defaultTimeRange } from "@/lib/time/range";

// recharts hydrates last, as on the service page.
const GoldenSignals = dynamic(() => import("../../_components/golden-signals").then((module) => module.GoldenSignals), {
  ssr: false,
  loading: () => (
    <Card className="mt-6" title="Golden signals">
      <Skeleton className="m-4 h-[30rem]" />
    </Card>
  ),
});

const configHref = ({ namespace, group, key }: { namespace: string; group: string; key: string }) =>
  `/config/${[namespace, group, key].map(encodeURIComponent).join("/")}`;

export function InstanceClient({
  detail,
  initialHistory,
  initialChart,
  events,
  canGovern,
}: {
  detail: TServiceInstanceDetail;
  initialHistory: THealthHistory;
  initialChart: TServiceChart;
  events: TEventView[];
  canGovern: boolean;
}) {
  const router = useRouter();
  // ?change=drain (from the command palette) opens the traffic panel on that change; it still asks for a reason.
  const change = useSearchParams().get("change") ?? "";
  const { service, instance, config } = detail;
  const servicePath = `/services/${encodeURIComponent(service.name)}`;
  const range = useTimeRange().range ?? defaultTimeRange;
  const history = useLiveQuery({
    url: apiUrls.instanceHealth(service.name, instance.id, range),
    initialData: initialHistory,
    initialUrl: apiUrls.instanceHealth(service.name, instance.id, defaultTimeRange),
    intervalMs: 2000,
  });
  const { override } = instance;

  return (
    <>
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-x-3 gap-y-1">
            <RangeLink href={servicePath} className="text-zinc-500 hover:text-zinc-600 dark:text-zinc-400">
              {service.name} /
            </RangeLink>
            <span data-testid="instance-title">{instance.id}</span>
            <ProtocolBadge protocol={instance.protocol} />
          </span>
        }
        description={<span className="font-mono text-xs">{instance.address}</span>}
        action={<LiveIndicator live={history} />}
      />
      <div className="mb-4">
        <TimeRangeBar fallback={defaultTimeRange} />
      </div>
      <div className="grid grid-cols-2 gap-4 md:grid-cols-4">
        <Stat label="Health" value={<HealthBadge health={instance.health} />} />
        <Stat label="Traffic" value={instance.enabled ? <Badge tone="good">enabled</Badge> : <Badge tone="warn">drained</Badge>} />
        <Stat label="Weight" value={instance.weight} />
        <Stat label="Registered weight" value={instance.registeredWeight} />
      </div>
      <HealthHistoryCard>
        <InstanceTimelines instances={[instance]} history={history.data} />
      </HealthHistoryCard>
      <GoldenSignals service={service.name} instances={[instance]} initialChart={initialChart} />
      <Card
        title="Events"
        className="mt-6"
        action={
          <RangeLink href={`/events?service=${encodeURIComponent(service.name)}`} className="text-xs font-medium hover:underline">
            All events of {service.name} →
          </RangeLink>
        }
      >
        <EventList events={events} empty={`No event of ${instance.id} in this range.`} />
      </Card>
      <Card title="Override" className="mt-6">
        {instance.overridden ? (
          <dl data-testid="override" className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 px-4 py-3 text-sm">
            <dt className="text-zinc-500 dark:text-zinc-400">Now</dt>
            <dd>
              weight {instance.weight}, {instance.enabled ? "enabled" : "drained"}
            </dd>
            <dt className="text-zinc-500 dark:text-zinc-400">Registered</dt>
            <dd>
              weight {instance.registeredWeight}, {instance.registeredEnabled ? "enabled" : "disabled"}
            </dd>
            {override.by && (
              <>
                <dt className="text-zinc-500 dark:text-zinc-400">Set by</dt>
                <dd>
                  {override.by} {override.at && <TimeAgo at={override.at} />}
                </dd>
              </>
            )}
            {override.reason && (
              <>
                <dt className="text-zinc-500 dark:text-zinc-400">Reason</dt>
                <dd>{override.reason}</dd>
              </>
            )}
            {override.expiresAt && (
              <>
                <dt className="text-zinc-500 dark:text-zinc-400">Reverts</dt>
                <dd>
                  <TimeUntil at={override.expiresAt} />
                </dd>
              </>
            )}
          </dl>
        ) : (
          <EmptyState>No override: the instance takes what it registers (weight {instance.registeredWeight}).</EmptyState>
        )}
      </Card>
      {/* Keyed by ?change=: a palette action opened on this page starts the panel afresh on its change. */}
      <TrafficPanel
        key={change}
        service={service}
        selection={{ kind: "rows", rows: [{ id: instance.id, version: override.version }] }}
        canGovern={canGovern}
        onApplied={() => router.refresh()}
        initialMode={isTrafficMode(change) ? change : "weight"}
      />
      <Card title="Config it holds" className="mt-6">
        <Table
          head={["Item", "Version held", "Seen"]}
          empty={config.length === 0 && <EmptyState>{instance.id} watches no config item (or has not watched in the last minute).</EmptyState>}
        >
          {config.map((item) => (
            <tr key={`${item.namespace}/${item.group}/${item.key}`}>
              <Td>
                <RangeLink href={configHref(item)} className="font-mono text-xs hover:underline">
                  {item.namespace}/{item.group}/{item.key}
                </RangeLink>
              </Td>
              <Td className="tabular-nums">v{item.version}</Td>
              <Td className="text-xs">
                <TimeAgo at={item.lastSeenAt} />
              </Td>
            </tr>
          ))}
        </Table>
      </Card>
    </>
  );
}
