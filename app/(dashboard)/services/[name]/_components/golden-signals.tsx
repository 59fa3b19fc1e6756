"use client";

import { memo, useEffect, useRef, useState } from "react";
import { useHydrated } from "@/components/health/use-hydrated";
import { useLiveQuery } from "@/components/live/use-live-query";
import { useTimeZone } from "@/components/time/time-zone";
import { useTimeRange } from "@/components/time/use-time-range";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/table";
import { apiUrls } from "@/lib/clients/api-urls";
import { chartSearchParams } from "@/lib/metrics/chart/chart-query-params";
import type { TChartPoint, TChartSeriesOf, TServiceChart } from "@/lib/metrics/views";
import { defaultTimeRange, resolveTimeRange, type TTimeRange } from "@/lib/time/range";
import type { TInstanceView } from "@/lib/registry/instance-view";
import { timeTicks } from "@/lib/time/axis";
import { ChartExport } from "./chart-export";
import { formatMs, formatPercent, formatRate, formatStepSize } from "@/components/charts/chart-format";
import { MarkerStrip } from "./marker-strip";
import { SeriesPicker, seriesValue } from "./series-picker";
import { SignalChart, toneColours, type TSignalSeries } from "@/components/charts/signal-chart";

// Short ranges move every scrape; a week's last point changes slowly and costs more to read.
function refreshMs(range: TTimeRange): number {
  const { from, to } = resolveTimeRange(range, 0);
  const span = to - from;
  return span <= 3_600_000 ? 10_000 : span <= 6 * 3_600_000 ? 30_000 : span <= 86_400_000 ? 60_000 : 300_000;
}

/** Whether the chart on screen is the one `range` asks for (a preset's moments move; two moments do not). */
function shows(chart: TServiceChart, range: TTimeRange): boolean {
  return range.preset === null ? chart.range === null && chart.from === range.from && chart.to === range.to : chart.range === range.preset;
}

// One time axis for the three, under the last; minTop keeps a flat line of tiny values from filling a chart.
const charts: { testId: string; title: string; series: TSignalSeries[]; format: (value: number) => string; height: number; minTop: number }[] = [
  {
    testId: "chart-rps",
    title: "Requests",
    series: [{ key: "rps", name: "requests/s", colour: "#0ea5e9", area: true }],
    format: formatRate,
    height: 130,
    minTop: 1,
  },
  {
    testId: "chart-errors",
    title: "Errors",
    series: [{ key: "errorRate", name: "errors", colour: "#f43f5e", area: true }],
    format: formatPercent,
    height: 100,
    minTop: 0.01,
  },
  {
    testId: "chart-latency",
    title: "Latency",
    series: [
      { key: "p50", name: "p50", colour: "#14b8a6" },
      { key: "p95", name: "p95", colour: "#6366f1" },
      { key: "p99", name: "p99", colour: "#c026d3" },
    ],
    format: formatMs,
    height: 170,
    minTop: 10,
  },
];

function latest(points: TChartPoint[], key: TSignalSeries["key"]): number | null {
  for (let i = points.length - 1; i >= 0; i -= 1) {
    const value = points[i]?.[key];
    if (value !== null && value !== undefined) return value;
  }
  return null;
}

/** The newest measured value of each series, coloured as its line: the chart's legend and its reading now. */
function Headline({ points, series, format }: { points: TChartPoint[]; series: TSignalSeries[]; format: (value: number) => string }) {
  return (
    <span className="flex flex-wrap items-center justify-end gap-x-3 tabular-nums text-zinc-500 dark:text-zinc-400">
      {series.map((each) => {
        const value = latest(points, each.key);
        return (
          <span key={each.key} className="inline-flex items-center gap-1.5">
            <span className="h-0.5 w-3 rounded-full" style={{ background: each.colour }} />
            {series.length > 1 && each.name}
            <span className="font-medium text-zinc-800 dark:text-zinc-100">{value === null ? "–" : format(value)}</span>
          </span>
        );
      })}
    </span>
  );
}

function MarkerLegend({ count }: { count: number }) {
  const tones = [
    ["critical", "down, failover, outage"],
    ["warning", "warning, flapping"],
    ["ok", "back, recovered"],
    ["maintenance", "maintenance (drain, weight 0)"],
    ["info", "operator change"],
  ] as const;
  return (
    <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-zinc-500 dark:text-zinc-400">
      <span>{count === 0 ? "No health, failover or operator event in this range" : `${count} event${count > 1 ? "s" : ""}:`}</span>
      {count > 0 &&
        tones.map(([tone, label]) => (
          <span key={tone} className="inline-flex items-center gap-1.5">
            <span className="size-2 rounded-full" style={{ background: toneColours[tone] }} />
            {label}
          </span>
        ))}
    </div>
  );
}

function describeSeries(service: string, of: TChartSeriesOf): string {
  if (of.scope === "instance") return `instance ${of.instanceId}`;
  if (of.scope === "edge") return `calls ${of.caller} → ${of.callee}`;
  return `all instances of ${service}`;
}

function emptyMessage({ service, of, instances }: { service: string; of: TChartSeriesOf; instances: TInstanceView[] }): string {
  const unscraped = (instance: TInstanceView) => instance.metrics === null;
  if (of.scope === "service" && instances.length > 0 && instances.every(unscraped)) {
    return `No instance of ${service} has a metrics endpoint: register them with metrics: { path, port } to see their golden signals.`;
  }
  const instance = of.scope === "instance" ? instances.find((each) => each.id === of.instanceId) : undefined;
  if (instance && unscraped(instance)) return `${instance.id} is not scraped: it registered without a metrics endpoint.`;
  return "Waiting for the first scrapes — metrics arrive every 10 s.";
}

/**
 * Request rate, error rate and latency of the service, an instance or an edge over a chosen range,
 * refreshed while the page is open, with health and failover events on the same time axis.
 */
type TGoldenSignalsProps = { service: string; instances: TInstanceView[]; initialChart: TServiceChart };

// Only the instances' ids and endpoints matter here: the service polls every second, the charts need not redraw with it.
const sameInstances = (a: TGoldenSignalsProps, b: TGoldenSignalsProps) =>
  a.service === b.service && a.instances.map((i) => `${i.id}:${i.metrics === null}`).join() === b.instances.map((i) => `${i.id}:${i.metrics === null}`).join();

export const GoldenSignals = memo(function GoldenSignals({ service, instances, initialChart }: TGoldenSignalsProps) {
  const hydrated = useHydrated();
  const zone = useTimeZone();
  const { range: asked, setRange } = useTimeRange();
  const range = asked ?? defaultTimeRange;
  const [of, setOf] = useState<TChartSeriesOf>(initialChart.of);
  // Until the new chart arrives the previous one stays on screen, dimmed and labelled with what it shows.
  const [shown, setShown] = useState(initialChart);
  const url = apiUrls.serviceMetrics(service, chartSearchParams({ service, range, of }));
  const { data: chart, error, refetch } = useLiveQuery({ url, initialData: shown, intervalMs: refreshMs(range) });
  const loading = !shows(chart, range) || seriesValue(chart.of) !== seriesValue(of);
  // A new range or series starts out showing the chart on screen: fetch its own now, not at the next refresh.
  useEffect(() => {
    if (loading) void refetch();
  }, [url, loading, refetch]);
  const choose = (next: { range?: TTimeRange; of?: TChartSeriesOf }) => {
    setShown(chart);
    if (next.range) setRange(next.range);
    if (next.of) setOf(next.of);
  };
  const zoom = ({ from, to }: { from: number; to: number }) => choose({ range: { preset: null, from, to } });

  const axis = { from: chart.from, to: chart.to, ticks: timeTicks({ from: chart.from, to: chart.to, zone }) };
  const measured = chart.points.some((point) => point.rps !== null);
  const drawn = useRef<HTMLDivElement>(null);
  const fileName = `${service}-${seriesValue(chart.of) || "service"}`.replace(/[^A-Za-z0-9._-]+/g, "-");

  return (
    <Card
      className="mt-6"
      title={
        <span className="flex flex-wrap items-baseline gap-x-3">
          Golden signals
          <span className="text-xs font-normal text-zinc-500 dark:text-zinc-400">
            {loading ? "loading…" : `${describeSeries(service, chart.of)} · one point per ${formatStepSize(chart.stepMs)} · drag across a chart to zoom`}
          </span>
        </span>
      }
      action={
        <div className="flex flex-wrap items-center justify-end gap-3">
          <SeriesPicker
            service={service}
            value={of}
            instances={instances.map((instance) => ({ id: instance.id, scraped: instance.metrics !== null }))}
            peers={chart.peers}
            disabled={!hydrated}
            onChange={(next) => choose({ of: next })}
          />
        </div>
      }
    >
      <div
        data-testid="golden-signals"
        data-range={chart.range ?? "absolute"}
        data-series={seriesValue(chart.of)}
        data-loading={loading}
        className={loading ? "opacity-60 transition-opacity" : "transition-opacity"}
      >
        {error && <p className="px-4 pt-3 text-xs text-rose-600 dark:text-rose-400">{error.message}</p>}
        {!measured ? (
          <EmptyState>{emptyMessage({ service, of, instances })}</EmptyState>
        ) : (
          <>
            <div ref={drawn} className="space-y-3 px-2 pb-3 pt-3 sm:px-4">
              <div className="flex flex-wrap items-center justify-between gap-2 pl-2">
                <MarkerLegend count={chart.markers.length} />
              </div>
              <MarkerStrip markers={chart.markers} from={chart.from} to={chart.to} />
              {charts.map((each, index) => (
                <SignalChart
                  key={each.testId}
                  {...each}
                  points={chart.points}
                  axis={axis}
                  markers={chart.markers}
                  headline={<Headline points={chart.points} series={each.series} format={each.format} />}
                  showTimeAxis={index === charts.length - 1}
                  onZoom={zoom}
                />
              ))}
            </div>
            <ChartExport points={chart.points} name={fileName} charts={drawn} />
          </>
        )}
      </div>
    </Card>
  );
}, sameInstances);
