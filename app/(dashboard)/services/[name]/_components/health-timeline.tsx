"use client";

import { useRef, useState, type KeyboardEvent } from "react";
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

/**
 * One instance's health over [from, to] as coloured bands; a short outage stays visible at 2 px. One tab stop per
 * timeline: the arrow keys (Home, End) move between its bands, and the band in focus shows its details under the bar.
 */
export function HealthTimeline({ bands, from, to, label }: { bands: TBand[]; from: number; to: number; label: string }) {
  const [focused, setFocused] = useState<number | null>(null);
  const [current, setCurrent] = useState(0);
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const zone = useTimeZone();
  const span = Math.max(1, to - from);
  const shown = bands.filter((band) => band.state !== "none");
  const bad = shown.filter((band) => band.state === "critical").length;
  const active = Math.min(current, Math.max(0, shown.length - 1));

  const move = (event: KeyboardEvent<HTMLDivElement>) => {
    const next = { ArrowRight: active + 1, ArrowDown: active + 1, ArrowLeft: active - 1, ArrowUp: active - 1, Home: 0, End: shown.length - 1 }[event.key];
    if (next === undefined || shown.length === 0) return;
    event.preventDefault();
    const index = Math.min(Math.max(next, 0), shown.length - 1);
    setCurrent(index);
    refs.current[index]?.focus();
  };

  return (
    <div role="group" aria-label={`${label}: ${bad ? `${bad} critical period${bad > 1 ? "s" : ""}` : "no critical period"}`} onKeyDown={move}>
      <div className="relative h-4 w-full rounded-sm bg-zinc-100 dark:bg-zinc-800">
        {shown.map((band, index) => (
          <button
            key={band.from}
            ref={(element) => {
              refs.current[index] = element;
            }}
            type="button"
            tabIndex={index === active ? 0 : -1}
            data-state={band.state}
            title={describe(band, zone)}
            aria-label={describe(band, zone)}
            onFocus={() => {
              setCurrent(index);
              setFocused(index);
            }}
            onBlur={() => setFocused(null)}
            className={`absolute inset-y-0 ${bandColours[band.state]} ${band.state === "passing" ? "" : "z-10 min-w-0.5"} focus-visible:z-20`}
            style={{ left: `${((band.from - from) / span) * 100}%`, width: `${((band.to - band.from) / span) * 100}%` }}
          />
        ))}
      </div>
      {/* In the flow, not floating: the row grows while a band has the focus, and nothing is clipped or covered. */}
      {focused !== null && shown[focused] && (
        <p aria-hidden className="mt-1 text-xs text-zinc-700 dark:text-zinc-200">
          {describe(shown[focused], zone)}
        </p>
      )}
    </div>
  );
}

/** The colours, once, above the timelines. */
export function TimelineLegend() {
  return (
    <div className="flex flex-wrap items-center gap-3 text-xs text-zinc-500 dark:text-zinc-400">
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
