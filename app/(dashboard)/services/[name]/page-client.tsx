"use client";

import dynamic from "next/dynamic";
import Link from "next/link";
import { useState } from "react";
import { TimelineLegend } from "./_components/health-timeline";
import { InstanceTimelines } from "./_components/instance-timelines";
import { RangeControl } from "@/components/health/range-control";
import { LiveIndicator } from "@/components/live/live-indicator";
import { useLiveQuery } from "@/components/live/use-live-query";
import { ScrapeStatus } from "./_components/scrape-status";
import { Badge, HealthBadge } from "@/components/ui/badge";
import { Card, Stat } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState, Table, Td } from "@/components/ui/table";
import { Skeleton } from "@/components/ui/skeleton";
import { TimeAgo, TimeUntil } from "@/components/ui/time-ago";
import { PolicyCard } from "./_components/policy-card";
import { TrafficPanel } from "./_components/traffic-panel";
import { apiUrls } from "@/lib/clients/api-urls";
import { formatDuration } from "@/lib/duration";
import type { THealthHistory } from "@/lib/health/queries";
import { timelineRangeNames, type TTimelineRange } from "@/lib/health/timeline";
import type { TServiceChart } from "@/lib/metrics/views";
import type { TInstanceView, TServiceDetail } from "@/lib/registry/queries";

// The charts load after the rest of the page is live: recharts is the heaviest part of the page to hydrate.
const GoldenSignals = dynamic(() => import("./_components/golden-signals").then((module) => module.GoldenSignals), {
  ssr: false,
  // The card's title is there at once, so the page does not jump and says what is coming.
  loading: () => (
    <Card
      className="mt-6"
      title={
        <span className="flex items-baseline gap-x-3">
          Golden signals<span className="text-xs font-normal text-zinc-500">loading charts…</span>
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
function OverrideNote({ instance }: { instance: TServiceDetail["instances"][number] }) {
  const { override } = instance;
  const title = [
    `registered with weight ${instance.registeredWeight}${instance.registeredEnabled ? "" : ", disabled"}`,
    override.by && `set by ${override.by}`,
    override.reason && `reason: ${override.reason}`,
  ]
    .filter(Boolean)
    .join("; ");
  return (
    <span className="ml-1 text-xs text-zinc-500" title={title}>
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

export function ServiceClient({
  initialService,
  initialHistory,
  initialChart,
  canGovern,
}: {
  initialService: TServiceDetail;
  initialHistory: THealthHistory;
  initialChart: TServiceChart;
  canGovern: boolean;
}) {
  const { data, error, refetch } = useLiveQuery({ url: apiUrls.service(initialService.name), initialData: { service: initialService } });
  const { service } = data;
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  // Instances that left the service drop out of the selection.
  const selected = new Set(service.instances.filter((instance) => picked.has(instance.id)).map((instance) => instance.id));
  const toggle = (id: string, on: boolean) => setPicked((now) => new Set(on ? [...now, id] : [...now].filter((each) => each !== id)));
  const tags = [...new Set(service.instances.flatMap((instance) => instance.tags))].sort();
  const onApplied = (outcome: "saved" | "conflict") => {
    if (outcome === "saved") setPicked(new Set());
    void refetch();
  };
  const { counts } = service;
  const [range, setRange] = useState<TTimelineRange>(initialHistory.range);
  // Until the new range arrives the previous one stays on screen, labelled with its own range.
  const [shownHistory, setShownHistory] = useState(initialHistory);
  const history = useLiveQuery({ url: apiUrls.serviceHealth(initialService.name, range), initialData: shownHistory, intervalMs: 2000 });
  const chooseRange = (next: TTimelineRange) => {
    setShownHistory(history.data);
    setRange(next);
    // The range goes in the URL so the view can be linked; Next keeps the history entry in step.
    window.history.replaceState(null, "", `?range=${next}${window.location.hash}`);
  };

  return (
    <>
      <PageHeader
        title={
          <span className="flex items-center gap-3">
            <Link href="/services" className="text-zinc-400 hover:text-zinc-600">
              Services /
            </Link>
            {service.name}
            <Badge tone="info">{service.source}</Badge>
          </span>
        }
        action={<LiveIndicator error={error} />}
      />
      <div className="grid grid-cols-2 gap-4 md:grid-cols-4">
        <Stat label="Instances" value={counts.total} />
        <Stat label="Passing" value={counts.passing} tone="good" />
        <Stat label="Critical" value={counts.critical} tone={counts.critical ? "bad" : "default"} />
        <Stat label="Taking traffic" value={service.instances.filter((instance) => instance.takesTraffic).length} />
      </div>
      <GoldenSignals service={service.name} instances={service.instances} initialChart={initialChart} />
      <Card
        title={
          <span className="flex items-center gap-3">
            Health history
            {history.data.range !== range && <span className="text-xs font-normal text-zinc-500">loading {range}...</span>}
          </span>
        }
        className="mt-6"
        action={
          <div className="flex items-center gap-4">
            <span className="hidden md:block">
              <TimelineLegend />
            </span>
            <RangeControl label="Time range" value={range} options={timelineRangeNames} onChange={chooseRange} />
          </div>
        }
      >
        <InstanceTimelines instances={service.instances} history={history.data} />
      </Card>
      <Card
        title="Instances"
        className="mt-6"
        action={
          canGovern && (
            <div className="flex flex-wrap items-center gap-2 text-xs">
              <span className="text-zinc-500">Select:</span>
              <button
                type="button"
                className="underline-offset-2 hover:underline"
                onClick={() => setPicked(new Set(service.instances.map((instance) => instance.id)))}
              >
                all
              </button>
              <button type="button" className="underline-offset-2 hover:underline" onClick={() => setPicked(new Set())}>
                none
              </button>
              {tags.map((tag) => (
                <button
                  key={tag}
                  type="button"
                  className="underline-offset-2 hover:underline"
                  onClick={() => setPicked(new Set(service.instances.filter((instance) => instance.tags.includes(tag)).map((instance) => instance.id)))}
                >
                  tag {tag}
                </button>
              ))}
            </div>
          )
        }
      >
        <Table
          head={["", "Instance", "Address", "Health", "Weight", "Enabled", "Metrics", "Heartbeat", "Check", "Tags", "Metadata"]}
          empty={service.instances.length === 0 && <EmptyState>This service has no instance registered.</EmptyState>}
        >
          {service.instances.map((instance) => (
            <tr key={instance.id} data-testid={`instance-${instance.id}`}>
              <Td>
                <input
                  type="checkbox"
                  aria-label={`Select ${instance.id}`}
                  checked={selected.has(instance.id)}
                  disabled={!canGovern}
                  title={canGovern ? undefined : "Read-only: viewers cannot change traffic"}
                  onChange={(event) => toggle(instance.id, event.target.checked)}
                />
              </Td>
              <Td className="whitespace-nowrap font-medium">{instance.id}</Td>
              <Td className="font-mono text-xs">{instance.address}</Td>
              <Td>
                <div className="space-y-1">
                  <HealthBadge health={instance.health} />
                  {instance.staleSince && (
                    <Badge tone="warn" title={`${instance.source} does not answer; this is the last state Meshdeck saw`}>
                      stale since <TimeAgo at={instance.staleSince} />
                    </Badge>
                  )}
                  <div className="max-w-56 truncate text-xs text-zinc-500" title={instance.healthOutput ?? undefined}>
                    {instance.healthOutput}
                  </div>
                </div>
              </Td>
              <Td className="tabular-nums">
                {instance.weight}
                {instance.overridden && <OverrideNote instance={instance} />}
              </Td>
              <Td>{instance.enabled ? <Badge tone="good">enabled</Badge> : <Badge tone="warn">drained</Badge>}</Td>
              <Td className="text-xs" data-testid="scrape-status">
                <ScrapeStatus metrics={instance.metrics} scrape={instance.scrape} />
              </Td>
              <Td className="whitespace-nowrap text-xs">
                {instance.check.kind === "ttl" ? <TimeAgo at={instance.lastHeartbeatAt} /> : <span className="text-zinc-400">n/a</span>}
              </Td>
              <Td className="whitespace-nowrap text-xs text-zinc-500">{describeCheck(instance.check)}</Td>
              <Td>
                <div className="flex flex-wrap gap-1">
                  {instance.tags.map((tag) => (
                    <Badge key={tag}>{tag}</Badge>
                  ))}
                </div>
              </Td>
              <Td>
                <dl className="grid grid-cols-[auto_1fr] gap-x-2 text-xs">
                  {Object.entries(instance.metadata).map(([key, value]) => (
                    <div key={key} className="contents">
                      <dt className="text-zinc-500">{key}</dt>
                      <dd className="truncate font-mono">{value}</dd>
                    </div>
                  ))}
                </dl>
              </Td>
            </tr>
          ))}
        </Table>
      </Card>
      <TrafficPanel service={service} selected={selected} canGovern={canGovern} onApplied={onApplied} />
      <PolicyCard service={service} canGovern={canGovern} onApplied={onApplied} />
    </>
  );
}
