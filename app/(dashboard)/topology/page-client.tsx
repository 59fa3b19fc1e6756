"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useState } from "react";
import { useHydrated } from "@/components/health/use-hydrated";
import { LiveIndicator } from "@/components/live/live-indicator";
import { useLiveQuery } from "@/components/live/use-live-query";
import { FindService } from "./_components/find-service";
import { formatWindow } from "./_components/format-signals";
import { TimeControl } from "./_components/time-control";
import { TimeRangeBar } from "@/components/time/time-range-bar";
import { useTimeRange } from "@/components/time/use-time-range";
import { TopologyGraph, type TFind } from "./_components/topology-graph";
import { TopologyLegend } from "./_components/topology-legend";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { FormError } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState } from "@/components/ui/table";
import { apiUrls } from "@/lib/clients/api-urls";
import { maxFocusHops } from "@/lib/metrics/topology/topology-focus";
import { topologyGroupings, type TTopology, type TTopologyGrouping } from "@/lib/metrics/views";
import { withSearch } from "@/lib/pagination/search-params";
import { defaultTimeRange, timeRangeSearch } from "@/lib/time/range";

type TShownFilters = {
  q: string;
  tag: string;
  service: string;
  hops: number;
  group: TTopologyGrouping;
  expand: string[];
  at: number | null;
};

// Live, the graph is asked for again this often; a past moment does not change.
const liveRefreshMs = 5000;
// Typing settles this long before the URL (and the graph) follow.
const typingMs = 300;
// The API opens at most this many groups at once; the oldest opened close first.
const maxExpanded = 50;
const control = "rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm shadow-sm focus:border-zinc-500 dark:border-zinc-700 dark:bg-zinc-950";
const linkButton = "underline hover:text-zinc-900 dark:hover:text-zinc-100";
const groupingLabels: Record<TTopologyGrouping, string> = { namespace: "namespace", tag: "first tag", prefix: "name prefix", none: "nothing" };
const hopChoices = Array.from({ length: maxFocusHops }, (_, i) => i + 1);

function describe(data: TTopology, live: boolean): string {
  const services = data.nodes.reduce((sum, node) => sum + (node.kind === "group" ? node.members.length : 1), 0);
  const groups = data.nodes.filter((node) => node.kind === "group").length;
  const singles = data.nodes.length - groups;
  const grouped = groups > 0 ? ` in ${groups} collapsed groups${singles > 0 ? ` and ${singles} on their own` : ""}` : "";
  return `${services} services${grouped} · ${data.edges.length} edges · rates over ${formatWindow(data.windowMs)}${live ? "" : " before the moment shown"}`;
}

export function TopologyClient({
  query,
  filters,
  initialTopology,
  tags,
  problem,
}: {
  query: string;
  filters: TShownFilters;
  initialTopology: TTopology;
  tags: string[];
  problem: string | null;
}) {
  const router = useRouter();
  const hydrated = useHydrated();
  const live = filters.at === null;
  // The slider reaches across the console's range; the API reads one moment and a window before it.
  const range = useTimeRange().range ?? defaultTimeRange;
  const liveQuery = useLiveQuery({ url: apiUrls.topology(query), initialData: initialTopology, intervalMs: live ? liveRefreshMs : Infinity });
  const { data } = liveQuery;
  const [find, setFind] = useState<TFind | null>(null);

  // The URL holds the view, so it can be linked and the server renders it first.
  const replace = useCallback(
    (changes: Record<string, string | null>) => {
      router.replace(withSearch("/topology", query, { ...timeRangeSearch(range), ...changes }), { scroll: false });
    },
    [query, range, router],
  );

  const [name, setName] = useState(filters.q);
  useEffect(() => {
    if (name.trim() === filters.q) return;
    const timer = setTimeout(() => replace({ q: name.trim() }), typingMs);
    return () => clearTimeout(timer);
  }, [name, filters.q, replace]);

  const onMoment = useCallback((at: number | null) => replace({ at: at === null ? null : String(at) }), [replace]);

  const expand = useCallback(
    (keys: string[]) => replace({ expand: [...new Set([...filters.expand, ...keys])].slice(-maxExpanded).join(",") }),
    [filters.expand, replace],
  );

  // Every service the view holds, drawn or inside a collapsed group: what a search can find.
  const names = useMemo(() => data.nodes.flatMap((node) => (node.kind === "group" ? node.members : node.registered ? [node.id] : [])).sort(), [data.nodes]);
  const onFind = (wanted: string): string | null => {
    const group = data.nodes.find((node) => node.kind === "group" && node.members.includes(wanted));
    if (group?.group) expand([group.group]);
    else if (!data.nodes.some((node) => node.id === wanted)) return `'${wanted}' is not in this view`;
    setFind((last) => ({ name: wanted, seq: (last?.seq ?? 0) + 1 }));
    return null;
  };

  const filtered = Boolean(filters.q || filters.tag || filters.service);
  const { omitted } = data.shape;
  return (
    <>
      <PageHeader
        title="Topology"
        description={describe(data, live)}
        action={live ? <LiveIndicator live={liveQuery} /> : <Badge tone="info">earlier moment</Badge>}
      />
      <div className="mb-4 space-y-2">
        <TimeRangeBar fallback={defaultTimeRange} />
        {problem && <FormError message={`This link's filters were not understood (${problem}); showing what could be.`} />}
      </div>
      <Card
        title={
          <div className="flex flex-col gap-2 font-normal">
            <div className="flex flex-wrap items-center gap-3">
              <FindService names={names} onFind={onFind} className={control} />
              <input
                type="search"
                value={name}
                onChange={(event) => setName(event.target.value)}
                placeholder="Filter by name"
                aria-label="Filter services by name"
                className={`${control} w-40`}
              />
              <label className="flex items-center gap-2 text-xs text-zinc-500 dark:text-zinc-400">
                Tag
                <select
                  aria-label="Tag"
                  disabled={!hydrated}
                  className={control}
                  value={filters.tag}
                  onChange={(event) => replace({ tag: event.target.value })}
                >
                  <option value="">Any tag</option>
                  {(tags.includes(filters.tag) || !filters.tag ? tags : [filters.tag, ...tags]).map((tag) => (
                    <option key={tag} value={tag}>
                      {tag}
                    </option>
                  ))}
                </select>
              </label>
              <label className="flex items-center gap-2 text-xs text-zinc-500 dark:text-zinc-400">
                Group by
                <select
                  aria-label="Group by"
                  disabled={!hydrated}
                  className={control}
                  value={filters.group}
                  onChange={(event) => replace({ group: event.target.value === "namespace" ? null : event.target.value, expand: null })}
                >
                  {topologyGroupings.map((grouping) => (
                    <option key={grouping} value={grouping}>
                      {groupingLabels[grouping]}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            <ViewState
              filters={filters}
              found={find?.name ?? null}
              collapsed={data.shape.collapsed}
              onFocus={(service, hops) => replace({ service, hops: hops === 1 ? null : String(hops) })}
              onCollapse={(keys) => replace({ expand: keys.join(",") || null })}
            />
            <TimeControl key={JSON.stringify(range)} range={range} at={filters.at} onChange={onMoment} />
            {(omitted.services > 0 || omitted.edges > 0) && (
              <p className="text-xs text-amber-700 dark:text-amber-400">
                Past the graph&apos;s bounds, {omitted.services} services and {omitted.edges} of the quietest edges are left out: filter by name or tag to see
                them.
              </p>
            )}
          </div>
        }
      >
        <div className="h-[calc(100vh-16rem)] min-h-[480px]">
          {data.nodes.length > 0 ? (
            <TopologyGraph topology={data} find={find} onExpand={expand} />
          ) : (
            <EmptyState>
              {filtered ? "No service matches these filters." : live ? "No service is registered yet." : "No service was registered at that moment."}{" "}
              {filtered && (
                <Link href="/topology" className="underline">
                  Show all services
                </Link>
              )}
            </EmptyState>
          )}
        </div>
        {data.nodes.length > 0 && (
          <div className="border-t border-zinc-200 p-3 md:hidden dark:border-zinc-800">
            <TopologyLegend dense={false} />
          </div>
        )}
      </Card>
    </>
  );
}

/** What narrows the view (a focus, open groups) and the way back; a found service offers its neighbourhood. */
function ViewState({
  filters,
  found,
  collapsed,
  onFocus,
  onCollapse,
}: {
  filters: TShownFilters;
  found: string | null;
  collapsed: boolean;
  onFocus: (service: string | null, hops: number) => void;
  onCollapse: (keep: string[]) => void;
}) {
  const hops = (service: string) => (
    <span className="inline-flex items-center gap-1" role="group" aria-label="Hops around the service">
      {hopChoices.map((n) => (
        <button
          key={n}
          type="button"
          aria-pressed={filters.service === service && filters.hops === n}
          onClick={() => onFocus(service, n)}
          className="rounded border border-zinc-300 px-1.5 text-xs aria-pressed:bg-zinc-900 aria-pressed:text-white dark:border-zinc-700 dark:aria-pressed:bg-zinc-100 dark:aria-pressed:text-zinc-900"
        >
          {n}
        </button>
      ))}
      hop{filters.hops === 1 && filters.service === service ? "" : "s"}
    </span>
  );
  const focusable = found && found !== filters.service ? found : null;
  if (!filters.service && !focusable && !(collapsed && filters.expand.length > 0)) return null;
  return (
    <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-zinc-600 dark:text-zinc-400">
      {filters.service && (
        <span className="inline-flex flex-wrap items-center gap-2" data-testid="topology-focus">
          around <strong className="text-zinc-900 dark:text-zinc-100">{filters.service}</strong> within {hops(filters.service)}
          <button type="button" className={linkButton} onClick={() => onFocus(null, 1)}>
            show all
          </button>
        </span>
      )}
      {focusable && (
        <span className="inline-flex flex-wrap items-center gap-2">
          only <strong className="text-zinc-900 dark:text-zinc-100">{focusable}</strong> and its neighbours within {hops(focusable)}
        </span>
      )}
      {collapsed && filters.expand.length > 0 && (
        <span className="inline-flex flex-wrap items-center gap-1.5">
          open groups:
          {filters.expand.map((key) => (
            <button
              key={key}
              type="button"
              title={`Collapse ${key}`}
              onClick={() => onCollapse(filters.expand.filter((other) => other !== key))}
              className="rounded-full bg-zinc-100 px-2 py-0.5 font-medium text-zinc-700 hover:bg-zinc-200 dark:bg-zinc-800 dark:text-zinc-200 dark:hover:bg-zinc-700"
            >
              {key} ×
            </button>
          ))}
          <button type="button" className={linkButton} onClick={() => onCollapse([])}>
            collapse all
          </button>
        </span>
      )}
    </div>
  );
}
