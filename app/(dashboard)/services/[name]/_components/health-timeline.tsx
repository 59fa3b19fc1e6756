"use client";

import { useTimeZone } from "@/components/time/time-zone";
import { formatDuration } from "@/lib/duration";
import { formatTime, type TTimeZone } from "@/lib/time/format";
import type { TBand, TBandState } from "@/lib/health/timeline";

export const bandColours: Record<TBandState, string> = {
  passing: "bg-emerald-500",
  warning: "bg-amber-500",
  critical: "bg-rose-500",
  unknown: "bg-zinc-400 dark:bg-zinc-500",
  none: "",
};

const bandNames: Record<TBandState, string> = { passing: "passing", warning: "warning", critical: "critical", unknown: "unknown", none: "not registered" };

function describe(band: TBand, zone: TTimeZone) {
  return `${bandNames[band.state]} for ${formatDuration(band.to - band.from)}, from ${formatTime(band.from, zone)}`;
}

/** One instance's health over [from, to] as coloured bands; a short outage stays visible at 2 px. */
export function HealthTimeline({ bands, from, to, label }: { bands: TBand[]; from: number; to: number; label: string }) {
  const zone = useTimeZone();
  const span = Math.max(1, to - from);
  const bad = bands.filter((band) => band.state === "critical").length;
  return (
    <div
      role="img"
      aria-label={`${label}: ${bad ? `${bad} critical period${bad > 1 ? "s" : ""}` : "no critical period"}`}
      className="relative h-4 w-full overflow-hidden rounded-sm bg-zinc-100 dark:bg-zinc-800"
    >
      {bands.map((band) =>
        band.state === "none" ? null : (
          <div
            key={band.from}
            data-state={band.state}
            title={describe(band, zone)}
            className={`absolute inset-y-0 ${bandColours[band.state]} ${band.state === "passing" ? "" : "z-10 min-w-0.5"}`}
            style={{ left: `${((band.from - from) / span) * 100}%`, width: `${((band.to - band.from) / span) * 100}%` }}
          />
        ),
      )}
    </div>
  );
}

/** The colours, once, above the timelines. */
export function TimelineLegend() {
  return (
    <div className="flex flex-wrap items-center gap-3 text-xs text-zinc-500">
      {(["passing", "warning", "critical", "unknown", "none"] as const).map((state) => (
        <span key={state} className="inline-flex items-center gap-1.5">
          <span
            className={`size-2.5 rounded-sm ${state === "none" ? "bg-zinc-100 ring-1 ring-zinc-300 ring-inset dark:bg-zinc-800 dark:ring-zinc-700" : bandColours[state]}`}
          />
          {bandNames[state]}
        </span>
      ))}
    </div>
  );
}
