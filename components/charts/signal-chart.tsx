"use client";

import { useRef, useState, type ReactNode } from "react";
import { Area, CartesianGrid, ComposedChart, Line, ReferenceArea, ReferenceLine, Tooltip, XAxis, YAxis, type DotItemDotProps } from "recharts";
import { useDarkTheme } from "@/components/layout/use-dark-theme";
import { useTimeZone } from "@/components/time/time-zone";
import type { TChartPoint, TTimelineMarker } from "@/lib/metrics/views";
import { formatTime } from "@/lib/time/format";
import { minRangeMs } from "@/lib/time/range";
import { formatTick } from "@/lib/time/axis";
import { valueTicks } from "./chart-format";

/** Every chart's plot area starts and ends at the same x, so the charts and the marker strip line up. */
export const chartMargin = { top: 6, right: 16, bottom: 0, left: 0 };
export const yAxisWidth = 60;

export const toneColours: Record<TTimelineMarker["tone"], string> = {
  critical: "#f43f5e",
  warning: "#f59e0b",
  ok: "#10b981",
  info: "#6366f1",
  maintenance: "#0ea5e9",
};

export type TSignalSeries = { key: Exclude<keyof TChartPoint, "t">; name: string; colour: string; area?: boolean };

// Axis text and the hover line, zinc-500/300 on light and zinc-400/500 on dark: readable on either page.
const lightInk = { tick: "#71717a", cursor: "#a1a1aa" };
const darkInk = { tick: "#a1a1aa", cursor: "#71717a" };

type TAxis = { from: number; to: number; ticks: number[] };

type TTooltip = {
  active?: boolean;
  payload?: readonly { payload?: unknown }[];
  label?: unknown;
  series: TSignalSeries[];
  format: (value: number) => string;
};

function ChartTooltip({ active, payload, label, series, format }: TTooltip) {
  const zone = useTimeZone();
  const point = payload?.[0]?.payload as TChartPoint | undefined;
  if (!active || !point) return null;
  return (
    <div
      data-testid="chart-tooltip"
      className="min-w-36 rounded-md border border-zinc-200 bg-white/95 px-2.5 py-1.5 text-xs text-zinc-900 shadow-md dark:border-zinc-700 dark:bg-zinc-900/95 dark:text-zinc-100"
    >
      <div className="mb-1 text-zinc-500 dark:text-zinc-400" data-testid="chart-tooltip-time">
        {formatTime(Number(label), zone)}
      </div>
      {series.map((each) => {
        const value = point[each.key];
        return (
          <div key={each.key} className="flex items-center gap-2">
            <span className="size-2 rounded-full" style={{ background: each.colour }} />
            <span className="text-zinc-600 dark:text-zinc-300">{each.name}</span>
            <span className="ml-auto pl-3 font-medium tabular-nums">{value === null ? "no data" : format(value)}</span>
          </div>
        );
      })}
    </div>
  );
}

/** A dot only where a point has no neighbour to draw a line to: a lone step would not show at all. */
function loneDot(points: TChartPoint[], key: TSignalSeries["key"], colour: string) {
  const LoneDot = ({ cx, cy, index }: DotItemDotProps) => {
    const lone = points[index - 1]?.[key] == null && points[index + 1]?.[key] == null && points[index]?.[key] != null;
    return lone && cx !== undefined && cy !== undefined ? <circle key={index} data-lone-dot cx={cx} cy={cy} r={2} fill={colour} /> : <g key={index} />;
  };
  return LoneDot;
}

/**
 * One golden signal over the chart's range: areas or lines with gaps where nothing was measured, the
 * timeline's markers as vertical lines, and a tooltip synchronised with the other charts of the page.
 * Dragging across it selects a span to zoom to (`onZoom`); a drag under a minute is a click.
 */
export function SignalChart({
  title,
  headline,
  points,
  series,
  format,
  axis,
  markers,
  showTimeAxis = false,
  height,
  minTop = 0,
  testId,
  onZoom,
  threshold,
}: {
  title: string;
  headline?: ReactNode;
  points: TChartPoint[];
  series: TSignalSeries[];
  format: (value: number) => string;
  axis: TAxis;
  markers: TTimelineMarker[];
  showTimeAxis?: boolean;
  height: number;
  /** The y axis reaches at least this high, so a flat line of tiny values does not fill the chart. */
  minTop?: number;
  testId: string;
  onZoom?: (span: { from: number; to: number }) => void;
  /** A horizontal line at this value: an alert rule's threshold. */
  threshold?: number;
}) {
  const zone = useTimeZone();
  // A drag is read from the pointer over the plot area, whose edges the shared margins fix: it works alike for a
  // mouse and a finger, whatever the chart's own hover state.
  const plot = useRef<HTMLDivElement>(null);
  const [drag, setDrag] = useState<{ from: number; to: number } | null>(null);
  const timeAt = (clientX: number): number => {
    const box = plot.current?.getBoundingClientRect();
    const left = (box?.left ?? 0) + yAxisWidth + chartMargin.left;
    const width = Math.max(1, (box?.width ?? 1) - yAxisWidth - chartMargin.left - chartMargin.right);
    return axis.from + Math.min(1, Math.max(0, (clientX - left) / width)) * (axis.to - axis.from);
  };
  const endDrag = () => {
    if (drag && onZoom && Math.abs(drag.to - drag.from) >= minRangeMs) onZoom({ from: Math.min(drag.from, drag.to), to: Math.max(drag.from, drag.to) });
    setDrag(null);
  };
  const measured = points.filter((point) => series.some((each) => point[each.key] !== null)).length;
  const highest = Math.max(minTop, threshold ?? 0, ...points.flatMap((point) => series.map((each) => point[each.key] ?? 0)));
  const yTicks = valueTicks(highest);
  const ink = useDarkTheme() ? darkInk : lightInk;
  return (
    <figure data-testid={testId} data-points={measured} className="min-w-0">
      <figcaption className="flex items-baseline justify-between gap-4 pr-4 text-xs" style={{ paddingLeft: yAxisWidth + chartMargin.left }}>
        <span className="font-medium text-zinc-700 dark:text-zinc-200">{title}</span>
        {headline}
      </figcaption>
      <div
        ref={plot}
        className={onZoom ? "cursor-crosshair touch-pan-y select-none text-zinc-100 dark:text-zinc-800" : "text-zinc-100 dark:text-zinc-800"}
        onPointerDown={(event) => {
          if (!onZoom || event.button !== 0) return;
          event.currentTarget.setPointerCapture(event.pointerId);
          setDrag({ from: timeAt(event.clientX), to: timeAt(event.clientX) });
        }}
        onPointerMove={(event) => {
          if (drag) setDrag({ ...drag, to: timeAt(event.clientX) });
        }}
        onPointerUp={endDrag}
        onPointerCancel={() => setDrag(null)}
      >
        <ComposedChart
          responsive
          data={points}
          syncId="golden-signals"
          margin={showTimeAxis ? chartMargin : { ...chartMargin, bottom: 8 }}
          style={{ width: "100%", height }}
          accessibilityLayer={false}
        >
          <CartesianGrid stroke="currentColor" vertical={false} />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={[axis.from, axis.to]}
            allowDataOverflow
            ticks={axis.ticks}
            tickFormatter={(t: number) => formatTick(axis, t, zone)}
            tick={showTimeAxis ? { fill: ink.tick, fontSize: 11 } : false}
            tickLine={false}
            axisLine={{ stroke: "currentColor" }}
            height={showTimeAxis ? 22 : 1}
          />
          <YAxis
            width={yAxisWidth}
            domain={[0, yTicks.at(-1) ?? 1]}
            ticks={yTicks}
            interval={0}
            tickFormatter={format}
            tick={{ fill: ink.tick, fontSize: 11 }}
            tickLine={false}
            axisLine={false}
          />
          <Tooltip
            content={({ active, payload, label }) => <ChartTooltip active={active} payload={payload} label={label} series={series} format={format} />}
            cursor={{ stroke: ink.cursor, strokeWidth: 1 }}
            isAnimationActive={false}
          />
          {drag && drag.from !== drag.to && <ReferenceArea x1={drag.from} x2={drag.to} fill="#71717a" fillOpacity={0.15} ifOverflow="hidden" />}
          {markers.map((marker, index) => (
            <ReferenceLine
              key={`${marker.at}-${index}`}
              x={marker.at}
              stroke={toneColours[marker.tone]}
              strokeOpacity={0.7}
              strokeDasharray="3 3"
              ifOverflow="hidden"
            />
          ))}
          {threshold !== undefined && <ReferenceLine y={threshold} stroke={toneColours.critical} strokeDasharray="6 3" ifOverflow="extendDomain" />}
          {series.map((each) => {
            // What an area and a line share; an area adds its fill.
            const drawn = {
              dataKey: each.key,
              name: each.name,
              type: "monotone" as const,
              stroke: each.colour,
              strokeWidth: 1.5,
              isAnimationActive: false,
              dot: loneDot(points, each.key, each.colour),
              activeDot: { r: 3 },
            };
            return each.area ? <Area key={each.key} {...drawn} fill={each.colour} fillOpacity={0.12} /> : <Line key={each.key} {...drawn} />;
          })}
        </ComposedChart>
      </div>
    </figure>
  );
}
