"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useState } from "react";
import { useHydrated } from "@/components/health/use-hydrated";
import { LiveIndicator } from "@/components/live/live-indicator";
import { useLiveQuery } from "@/components/live/use-live-query";
import { TimeRangeBar } from "@/components/time/time-range-bar";
import { useTimeRange } from "@/components/time/use-time-range";
import { formatWindow } from "./_components/format-signals";
import { TimeControl } from "./_components/time-control";
import { TopologyGraph } from "./_components/topology-graph";
import { TopologyLegend } from "./_components/topology-legend";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { FormError } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState } from "@/components/ui/table";
import { apiUrls } from "@/lib/clients/api-urls";
import type { TTopology } from "@/lib/metrics/views";
import { withSearch } from "@/lib/pagination/search-params";
import { defaultTimeRange, timeRangeSearch } from "@/lib/time/range";

type TShownFilters = { q: string; tag: string; service: string; at: number | null };

// Live, the graph is asked for again this often; a past moment does not change.
const liveRefreshMs = 5000;
// Typing settles this long before the URL (and the graph) follow.
const typingMs = 300;
const control = "rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm shadow-sm focus:border-zinc-500 dark:border-zinc-700 dark:bg-zinc-950";

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
  // The slider reaches across the console's range; the API reads one moment and a window before it.
  const range = useTimeRange().range ?? defaultTimeRange;
  const live = filters.at === null;
  const liveQuery = useLiveQuery({ url: apiUrls.topology(query), initialData: initialTopology, intervalMs: live ? liveRefreshMs : Infinity });
  const { data } = liveQuery;

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

  const filtered = Boolean(filters.q || filters.tag || filters.service);
  const description = `${data.nodes.length} services · ${data.edges.length} edges · rates over ${formatWindow(data.windowMs)}${live ? "" : " before the moment shown"}`;
  return (
    <>
      <PageHeader title="Topology" description={description} action={live ? <LiveIndicator live={liveQuery} /> : <Badge tone="info">earlier moment</Badge>} />
      <div className="mb-4 space-y-2">
        <TimeRangeBar fallback={defaultTimeRange} />
        {problem && <FormError message={`This link's filters were not understood (${problem}); showing what could be.`} />}
      </div>
      <Card
        title={
          <div className="flex flex-wrap items-center gap-3 font-normal">
            <input
              type="search"
              value={name}
              onChange={(event) => setName(event.target.value)}
              placeholder="Filter by name"
              aria-label="Filter services by name"
              className={`${control} w-full max-w-52`}
            />
            <label className="flex items-center gap-2 text-xs text-zinc-500 dark:text-zinc-400">
              Tag
              <select aria-label="Tag" disabled={!hydrated} className={control} value={filters.tag} onChange={(event) => replace({ tag: event.target.value })}>
                <option value="">Any tag</option>
                {(tags.includes(filters.tag) || !filters.tag ? tags : [filters.tag, ...tags]).map((tag) => (
                  <option key={tag} value={tag}>
                    {tag}
                  </option>
                ))}
              </select>
            </label>
            {filters.service && (
              <span className="inline-flex items-center gap-2 text-xs text-zinc-600 dark:text-zinc-400">
                around <strong>{filters.service}</strong> and its neighbours
                <button type="button" className="underline hover:text-zinc-900 dark:hover:text-zinc-100" onClick={() => replace({ service: null })}>
                  show all
                </button>
              </span>
            )}
          </div>
        }
        action={<TimeControl key={JSON.stringify(range)} range={range} at={filters.at} onChange={onMoment} />}
      >
        <div className="h-[calc(100vh-14rem)] min-h-[420px]">
          {data.nodes.length > 0 ? (
            <TopologyGraph topology={data} />
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
