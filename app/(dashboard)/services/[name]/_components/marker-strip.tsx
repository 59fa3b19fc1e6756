"use client";

import { useEffect, useRef, useState } from "react";
import { useFormatTime } from "@/components/time/time-zone";
import { cn } from "@/components/ui/cn";
import type { TTimelineMarker } from "@/lib/metrics/views";
import { chartMargin, toneColours, yAxisWidth } from "@/components/charts/signal-chart";

const toneRank: Record<TTimelineMarker["tone"], number> = { critical: 4, warning: 3, maintenance: 2, ok: 1, info: 0 };
// Events closer than this many pixels would overlap: one dot stands for all of them.
const clusterPx = 20;
const labelsShown = 8;

type TCluster = { at: number; left: number; tone: TTimelineMarker["tone"]; markers: TTimelineMarker[] };

/** Markers (oldest first) grouped where their dots would overlap; a group takes its worst tone. */
function clusterMarkers(markers: TTimelineMarker[], from: number, span: number, clusterShare: number): TCluster[] {
  const clusters: TCluster[] = [];
  for (const marker of markers) {
    const left = (marker.at - from) / span;
    const last = clusters.at(-1);
    if (last && left - last.left < clusterShare) {
      last.markers.push(marker);
      if (toneRank[marker.tone] > toneRank[last.tone]) last.tone = marker.tone;
    } else {
      clusters.push({ at: marker.at, left, tone: marker.tone, markers: [marker] });
    }
  }
  return clusters;
}

/**
 * The timeline's events as dots above the charts, on the charts' own time scale; hovering or focusing
 * a dot shows what happened. The charts below draw the same events as vertical lines.
 */
export function MarkerStrip({ markers, from, to }: { markers: TTimelineMarker[]; from: number; to: number }) {
  const formatStep = useFormatTime();
  const span = Math.max(1, to - from);
  const strip = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(1000);
  useEffect(() => {
    const element = strip.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => setWidth(entry?.contentRect.width || 1000));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return (
    <div
      ref={strip}
      className="relative z-30 h-6"
      style={{ marginLeft: yAxisWidth + chartMargin.left, marginRight: chartMargin.right }}
      data-testid="chart-markers"
    >
      <div className="absolute inset-x-0 top-1/2 h-px bg-zinc-200 dark:bg-zinc-800" />
      {clusterMarkers(markers, from, span, clusterPx / width).map((cluster) => {
        const count = cluster.markers.length;
        const label = cluster.markers.map((marker) => marker.label).join("; ");
        return (
          <button
            key={cluster.at}
            type="button"
            data-testid="chart-marker"
            data-tone={cluster.tone}
            aria-label={`${formatStep(cluster.at)}: ${label}`}
            className="group absolute top-1/2 -translate-x-1/2 -translate-y-1/2 rounded-full p-1 focus-visible:ring-2 focus-visible:ring-zinc-400"
            style={{ left: `${cluster.left * 100}%` }}
          >
            <span
              className={cn(
                "flex items-center justify-center rounded-full text-[9px] font-semibold leading-none text-white ring-2 ring-white dark:ring-zinc-900",
                count > 1 ? "size-3.5" : "size-2.5",
              )}
              style={{ background: toneColours[cluster.tone] }}
            >
              {count > 1 && count}
            </span>
            <span
              role="tooltip"
              className={cn(
                "pointer-events-none absolute top-full z-20 mt-1 hidden w-max max-w-[36rem] space-y-0.5 rounded-md border border-zinc-200 bg-white px-2.5 py-1.5 text-left text-xs shadow-md group-hover:block group-focus-visible:block dark:border-zinc-700 dark:bg-zinc-900",
                // Near the right edge the label opens leftwards, so it stays on screen.
                cluster.left > 0.6 ? "right-0" : "left-0",
              )}
            >
              {cluster.markers.slice(-labelsShown).map((marker, index) => (
                <span key={index} className="flex gap-2">
                  <span className="shrink-0 tabular-nums text-zinc-500 dark:text-zinc-400">{formatStep(marker.at)}</span>
                  <span className="inline-flex items-baseline gap-1.5 font-medium text-zinc-800 dark:text-zinc-100">
                    <span className="size-1.5 shrink-0 -translate-y-px rounded-full" style={{ background: toneColours[marker.tone] }} />
                    {marker.label}
                  </span>
                </span>
              ))}
              {count > labelsShown && <span className="block text-zinc-500 dark:text-zinc-400">and {count - labelsShown} earlier</span>}
            </span>
          </button>
        );
      })}
    </div>
  );
}
