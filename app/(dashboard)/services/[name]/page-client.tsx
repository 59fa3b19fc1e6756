"use client";

import { FiringAlerts } from "@/components/alerts/firing-alerts";
import dynamic from "next/dynamic";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useCallback, useState } from "react";
import { HealthHistoryCard } from "./_components/health-history-card";
import { InstanceTimelines } from "./_components/instance-timelines";
import { instanceHref } from "@/components/health/event-list";
import { LiveIndicator } from "@/components/live/live-indicator";
import { RangeLink } from "@/components/time/range-link";
import { TimeRangeBar } from "@/components/time/time-range-bar";
import { FormError } from "@/components/ui/field";
import { useTimeRange } from "@/components/time/use-time-range";
import { useLiveQuery } from "@/components/live/use-live-query";
import { ScrapeStatus } from "./_components/scrape-status";
import { Badge, HealthBadge, ProtocolBadge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, Stat } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState, Table, Td } from "@/components/ui/table";
import { Skeleton } from "@/components/ui/skeleton";
import { TimeAgo, TimeUntil } from "@/components/ui/time-ago";
import { PolicyCard } from "./_components/policy-card";
import { ConfigLinks } from "./_components/config-links";
import type { TServiceConfig } from "@/lib/config/service-config";
import { RetireCard, SilencesCard } from "./_components/silences-card";
import { StatusCard } from "./_components/status-card";
import type { TServiceStatusView } from "@/lib/status/queries";
import type { TSilenceView } from "@/lib/notify/silences";
import { TrafficPanel } from "./_components/traffic-panel";
import { apiUrls } from "@/lib/clients/api-urls";
import { defaultTimeRange } from "@/lib/time/range";
import { formatDuration } from "@/lib/duration";
import type { THealthHistory } from "@/lib/health/queries";
import type { TServiceChart } from "@/lib/metrics/views";
import { readInstanceFilter, toInstancePageSearch, type TInstanceFilter } from "@/lib/registry/instance-page";
import type { TInstanceView } from "@/lib/registry/instance-view";
import type { TServiceDetail, TServiceInstance } from "@/lib/registry/service-detail";
import { InstanceFilters } from "./_components/instance-filters";
import { tablePageSize, timelinesShown } from "./_components/page-sizes";
import { noSelection, type TSelection } from "./_components/selection";

// The charts load after the rest of the page is live: recharts is the heaviest part of the page to hydrate.
const GoldenSignals = dynamic(() => import("./_components/golden-signals").then((module) => module.GoldenSignals), {
  ssr: false,
  // The card's title is there at once, so the page does not jump and says what is coming.
  loading: () => (
    <Card
      className="mt-6"
      title={
        <span className="flex items-baseline gap-x-3">
          Golden signals<span className="text-xs font-normal text-zinc-500 dark:text-zinc-400">loading charts…</span>
        </span>
      }
    >
      <Skeleton className="m-4 h-[30rem]" />
    </Card>
  ),
});

function describeCheck(check: TInstanceView["check"]) {
  if (check.kind === "ttl") return `ttl ${formatDuration(check.ttlMs)}`;
  if (check.kind === "source") return `registered in ${check.source}`;
  const target = check.kind === "http" ? ` ${check.path}` : "";
  return `${check.kind}${target} every ${formatDuration(check.intervalMs)}`;
}

/** Who set the override, and when it reverts by itself. */
function OverrideNote({ instance }: { instance: TServiceInstance }) {
  const { override } = instance;
  const title = [
    `registered with weight ${instance.registeredWeight}${instance.registeredEnabled ? "" : ", disabled"}`,
    override.by && `set by ${override.by}`,
    override.reason && `reason: ${override.reason}`,
  ]
    .filter(Boolean)
    .join("; ");
  return (
    <span className="ml-1 text-xs text-zinc-500 dark:text-zinc-400" title={title}>
      (override
      {override.expiresAt && (
        <>
          , reverts <TimeUntil at={override.expiresAt} />
        </>
      )}
      )
    </span>
  );
}

// Tags offered as one-click selections; a service with more has them in the filter's tag list only.
const quickTags = 8;

const numberFormat = new Intl.NumberFormat("en");
const formatCount = (count: number) => numberFormat.format(count);

export function ServiceClient({
  initialService,
  initialHistory,
  initialChart,
  initialSilences,
  config,
  initialStatus,
  canGovern,
  canManage,
}: {
  initialService: TServiceDetail;
  initialHistory: THealthHistory;
  initialChart: TServiceChart;
  initialSilences: TSilenceView[];
  config: TServiceConfig;
  initialStatus: TServiceStatusView;
  canGovern: boolean;
  canManage: boolean;
}) {
  const name = initialService.service.name;
  // ?tag= and ?q= (the command palette's "orders tagged canary") open the table filtered.
  const search = useSearchParams();
  const [filter, setFilter] = useState<TInstanceFilter>(() => readInstanceFilter(search));
  // The cursor of each page visited, the first page's null: Previous goes back one.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors.at(-1);
  const live = useLiveQuery({
    url: apiUrls.service(name, toInstancePageSearch({ ...filter, cursor, limit: tablePageSize })),
    initialData: initialService,
    initialUrl: apiUrls.service(name, toInstancePageSearch({ limit: tablePageSize })),
  });
  const { data, refetch } = live;
  const { service, instances, nextCursor } = data;
  const { counts } = service;

  // Rows of the page picked one by one, or every instance the filters match; a new page or filter starts afresh.
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const [allMatching, setAllMatching] = useState(false);
  const clearSelection = () => {
    setPicked(new Set());
    setAllMatching(false);
  };
  const changeFilter = useCallback((next: TInstanceFilter) => {
    setFilter(next);
    setCursors([null]);
    setPicked(new Set());
    setAllMatching(false);
  }, []);
  const turnPage = (next: (string | null)[]) => {
    setCursors(next);
    clearSelection();
  };
  const selectMatching = (next: TInstanceFilter) => {
    if (next !== filter) changeFilter(next);
    setAllMatching(true);
  };
  // Instances that left the page (or the service) drop out of the selection.
  const rows = instances.filter((instance) => allMatching || picked.has(instance.id));
  const selection: TSelection = allMatching
    ? { kind: "matching", filter, count: counts.matching }
    : rows.length > 0
      ? { kind: "rows", rows: rows.map((instance) => ({ id: instance.id, version: instance.override.version })) }
      : noSelection;
  const wholePage = instances.length > 0 && rows.length === instances.length;
  const toggle = (id: string, on: boolean) => {
    const now = allMatching ? new Set(instances.map((instance) => instance.id)) : new Set(picked);
    if (on) now.add(id);
    else now.delete(id);
    setAllMatching(false);
    setPicked(now);
  };
  const togglePage = (on: boolean) => {
    setAllMatching(false);
    setPicked(on ? new Set(instances.map((instance) => instance.id)) : new Set());
  };
  const onApplied = (outcome: "saved" | "conflict") => {
    if (outcome === "saved") clearSelection();
    void refetch();
  };

  // The console's range, from the URL; the server rendered the initial history for it.
  const { range: asked, problem } = useTimeRange();
  const range = asked ?? defaultTimeRange;
  // Until the new range (or page) arrives the previous one stays on screen, labelled with its own range.
  const history = useLiveQuery({
    url: apiUrls.serviceHealth(name, range, toInstancePageSearch({ ...filter, cursor, limit: timelinesShown })),
    initialData: initialHistory,
    initialUrl: apiUrls.serviceHealth(name, range, toInstancePageSearch({ limit: timelinesShown })),
    intervalMs: 2000,
  });
  // Every page before this one was full.
  const pageStart = (cursors.length - 1) * tablePageSize + 1;

  return (
    <>
      <PageHeader
        title={
          <span className="flex items-center gap-3">
            <Link href="/services" className="text-zinc-500 dark:text-zinc-400 hover:text-zinc-600">
              Services /
            </Link>
            {service.name}
            <Badge tone="info">{service.source}</Badge>
          </span>
        }
        action={<LiveIndicator live={[live, history]} />}
      />
      <div className="mb-4">
        <TimeRangeBar fallback={defaultTimeRange} />
        {problem && <FormError message={`This link's time range was not understood (${problem}); showing the last hour.`} />}
      </div>
      <div className="grid grid-cols-2 gap-4 md:grid-cols-5">
        <Stat label="Instances" value={counts.total} />
        <Stat label="Passing" value={counts.passing} tone="good" />
        <Stat label="Critical" value={counts.critical} tone={counts.critical ? "bad" : "default"} />
        <Stat label="Drained" value={counts.drained} />
        <Stat label="Taking traffic" value={counts.takingTraffic} />
      </div>
      <FiringAlerts service={service.name} />
      <GoldenSignals service={service.name} instances={instances} initialChart={initialChart} />
      <HealthHistoryCard
        loading={history.isPlaceholderData}
        note={instances.length > timelinesShown && <>The first {timelinesShown} instances of the table&apos;s page below; its filters and pages choose them.</>}
      >
        <InstanceTimelines instances={instances.slice(0, timelinesShown)} history={history.data} />
      </HealthHistoryCard>
      <Card
        title="Instances"
        className="mt-6"
        action={
          canGovern && (
            <div className="flex flex-wrap items-center gap-2 text-xs">
              <span className="text-zinc-500 dark:text-zinc-400">Select:</span>
              <button type="button" className="underline-offset-2 hover:underline" onClick={() => selectMatching(filter)}>
                all
              </button>
              <button type="button" className="underline-offset-2 hover:underline" onClick={clearSelection}>
                none
              </button>
              {service.tags.length <= quickTags &&
                service.tags.map((tag) => (
                  <button key={tag} type="button" className="underline-offset-2 hover:underline" onClick={() => selectMatching({ tag })}>
                    tag {tag}
                  </button>
                ))}
            </div>
          )
        }
      >
        {/* The pager sits above the rows, beside the filters: the count and the next page without scrolling past 50 rows. */}
        <div className="flex flex-wrap items-center justify-between gap-3 border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
          <InstanceFilters filter={filter} tags={service.tags} onChange={changeFilter} />
          <nav aria-label="Instance pages" className="flex flex-wrap items-center gap-3 text-sm">
            <span data-testid="page-range" className="text-zinc-500 dark:text-zinc-400">
              {instances.length === 0
                ? `0 of ${formatCount(counts.matching)}`
                : `${formatCount(pageStart)}–${formatCount(pageStart + instances.length - 1)} of ${formatCount(counts.matching)}`}
              {counts.matching !== counts.total && ` matching (${formatCount(counts.total)} in all)`}
            </span>
            <span className="flex gap-2">
              <Button type="button" variant="secondary" disabled={cursors.length === 1} onClick={() => turnPage(cursors.slice(0, -1))}>
                Previous
              </Button>
              <Button type="button" variant="secondary" disabled={!nextCursor} onClick={() => nextCursor && turnPage([...cursors, nextCursor])}>
                Next
              </Button>
            </span>
          </nav>
        </div>
        {canGovern && (wholePage || allMatching) && counts.matching > instances.length && (
          <p data-testid="selection-banner" className="border-b border-zinc-200 bg-indigo-50/60 px-4 py-2 text-sm dark:border-zinc-800 dark:bg-indigo-950/40">
            {allMatching ? (
              <>
                All <strong>{formatCount(counts.matching)}</strong> {isFilteredText(filter)} are selected.{" "}
                <button type="button" className="font-medium text-indigo-700 hover:underline dark:text-indigo-300" onClick={clearSelection}>
                  Clear selection
                </button>
              </>
            ) : (
              <>
                All {formatCount(instances.length)} on this page are selected.{" "}
                <button type="button" className="font-medium text-indigo-700 hover:underline dark:text-indigo-300" onClick={() => selectMatching(filter)}>
                  Select all {formatCount(counts.matching)} {isFilteredText(filter)}
                </button>
              </>
            )}
          </p>
        )}
        <div className={live.isPlaceholderData ? "opacity-60 transition-opacity" : "transition-opacity"} aria-busy={live.isPlaceholderData}>
          <Table
            head={[
              <input
                key="page"
                type="checkbox"
                aria-label="Select this page"
                checked={wholePage}
                disabled={!canGovern || instances.length === 0}
                onChange={(event) => togglePage(event.target.checked)}
              />,
              "Instance",
              "Health",
              "Enabled",
              "Weight",
              "Address",
              "Metrics",
              "Check",
              "Tags, metadata",
            ]}
            empty={
              instances.length === 0 && (
                <EmptyState>{counts.total === 0 ? "This service has no instance registered." : "No instance matches these filters."}</EmptyState>
              )
            }
          >
            {instances.map((instance) => (
              <InstanceRow
                key={instance.id}
                service={name}
                instance={instance}
                selected={allMatching || picked.has(instance.id)}
                canGovern={canGovern}
                onToggle={(on) => toggle(instance.id, on)}
              />
            ))}
          </Table>
        </div>
      </Card>
      <TrafficPanel service={service} selection={selection} canGovern={canGovern} onApplied={onApplied} />
      <PolicyCard detail={data} canGovern={canGovern} onApplied={onApplied} />
      <ConfigLinks service={name} config={config} />
      <StatusCard initialStatus={initialStatus} canManage={canManage} />
      <SilencesCard service={name} initialSilences={initialSilences} canManage={canManage} />
      {/* Offered when nothing takes traffic; the server decides whether its instances are stale. */}
      {canManage && counts.takingTraffic === 0 && <RetireCard service={name} instances={counts.total} />}
    </>
  );
}

function isFilteredText(filter: TInstanceFilter): string {
  return Object.values(filter).some((value) => value !== undefined) ? "matching instances" : "instances";
}

function InstanceRow({
  service,
  instance,
  selected,
  canGovern,
  onToggle,
}: {
  service: string;
  instance: TServiceInstance;
  selected: boolean;
  canGovern: boolean;
  onToggle: (on: boolean) => void;
}) {
  return (
    <tr data-testid={`instance-${instance.id}`} className={selected ? "bg-indigo-50/40 dark:bg-indigo-950/20" : undefined}>
      <Td>
        <input
          type="checkbox"
          aria-label={`Select ${instance.id}`}
          checked={selected}
          disabled={!canGovern}
          title={canGovern ? undefined : "Read-only: viewers cannot change traffic"}
          onChange={(event) => onToggle(event.target.checked)}
        />
      </Td>
      <Td className="whitespace-nowrap font-medium">
        <RangeLink href={instanceHref(service, instance.id)} className="hover:underline">
          {instance.id}
        </RangeLink>{" "}
        <ProtocolBadge protocol={instance.protocol} />
      </Td>
      <Td>
        <div className="space-y-1">
          <HealthBadge health={instance.health} />
          {instance.staleSince && (
            <Badge tone="warn" title={`${instance.source} does not answer; this is the last state Meshdeck saw`}>
              stale since <TimeAgo at={instance.staleSince} />
            </Badge>
          )}
          <div className="max-w-40 truncate text-xs text-zinc-500 dark:text-zinc-400" title={instance.healthOutput ?? undefined}>
            {instance.healthOutput}
          </div>
        </div>
      </Td>
      <Td>{instance.enabled ? <Badge tone="good">enabled</Badge> : <Badge tone="warn">drained</Badge>}</Td>
      <Td className="tabular-nums">
        {instance.weight}
        {instance.overridden && <OverrideNote instance={instance} />}
      </Td>
      <Td className="whitespace-nowrap font-mono text-xs">{instance.address}</Td>
      <Td className="text-xs" data-testid="scrape-status">
        <ScrapeStatus metrics={instance.metrics} scrape={instance.scrape} />
      </Td>
      {/* Check and heartbeat, tags and metadata share a column each, so the table fits a laptop screen without scrolling. */}
      <Td className="text-xs">
        <span className="block whitespace-nowrap text-zinc-600 dark:text-zinc-400">{describeCheck(instance.check)}</span>
        {instance.check.kind === "ttl" && (
          <span className="block whitespace-nowrap">
            heartbeat <TimeAgo at={instance.lastHeartbeatAt} />
          </span>
        )}
      </Td>
      <Td>
        <div className="flex min-w-24 max-w-48 flex-wrap gap-1">
          {instance.tags.map((tag) => (
            <Badge key={tag}>{tag}</Badge>
          ))}
        </div>
        <dl className="mt-1 grid max-w-48 grid-cols-[auto_minmax(0,1fr)] gap-x-2 text-xs">
          {Object.entries(instance.metadata).map(([key, value]) => (
            <div key={key} className="contents">
              <dt className="text-zinc-500 dark:text-zinc-400">{key}</dt>
              <dd className="truncate font-mono" title={value}>
                {value}
              </dd>
            </div>
          ))}
        </dl>
      </Td>
    </tr>
  );
}
