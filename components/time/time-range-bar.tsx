"use client";

import { useState, type FormEvent } from "react";
import { RangeControl } from "@/components/health/range-control";
import { formatTime, fromZoneInput, toZoneInput, zoneName } from "@/lib/time/format";
import { maxRangeMs, minRangeMs, rangePresetNames, resolveTimeRange, type TRangePreset, type TTimeRange } from "@/lib/time/range";
import { useTimeZone, ZoneSwitch } from "./time-zone";
import { useTimeRange } from "./use-time-range";

const anyTime = "any";
const input = "rounded-md border border-zinc-300 bg-white px-2 py-1 text-xs shadow-sm dark:border-zinc-700 dark:bg-zinc-950";

/**
 * The console's one time range, on every page that reads one: the presets, two moments of the reader's choosing, and
 * the zone times are written in. `fallback` is what the page shows when the URL names no range; null: all of time.
 */
export function TimeRangeBar({ fallback }: { fallback: TTimeRange | null }) {
  const { range, setRange } = useTimeRange();
  const shown = range ?? fallback;
  const zone = useTimeZone();
  const [editing, setEditing] = useState(false);
  const options = fallback === null ? ([anyTime, ...rangePresetNames] as const) : rangePresetNames;
  const checked = shown === null ? anyTime : shown.preset;

  return (
    <div className="flex flex-col gap-2" data-testid="time-range">
      <div className="flex flex-wrap items-center gap-2">
        <RangeControl<TRangePreset | typeof anyTime>
          label="Time range"
          value={checked}
          options={options}
          optionLabel={(option) => (option === anyTime ? "any time" : option)}
          onChange={(next) => setRange(next === anyTime ? null : { preset: next })}
        />
        <button
          type="button"
          aria-expanded={editing}
          onClick={() => setEditing(!editing)}
          className="rounded-md border border-zinc-200 px-2 py-1 text-xs font-medium text-zinc-700 hover:bg-zinc-100 aria-expanded:bg-zinc-100 dark:border-zinc-700 dark:text-zinc-300 dark:hover:bg-zinc-800 dark:aria-expanded:bg-zinc-800"
        >
          {shown?.preset === null ? (
            <span data-testid="time-range-absolute">
              {formatTime(shown.from, zone)} → {formatTime(shown.to, zone)}
            </span>
          ) : (
            "From – to…"
          )}
        </button>
        <ZoneSwitch />
      </div>
      {editing && (
        <AbsoluteForm
          range={shown}
          onApply={(next) => {
            setEditing(false);
            setRange(next);
          }}
        />
      )}
    </div>
  );
}

/** Two moments in the reader's zone, applied together. */
function AbsoluteForm({ range, onApply }: { range: TTimeRange | null; onApply: (range: TTimeRange) => void }) {
  const zone = useTimeZone();
  // The form opens on what is shown, a preset made concrete at the moment it opened.
  const [opened] = useState(() => resolveTimeRange(range ?? { preset: "1h" }, Date.now()));
  const [from, setFrom] = useState(() => toZoneInput(opened.from, zone));
  const [to, setTo] = useState(() => toZoneInput(opened.to, zone));
  const fromMs = fromZoneInput(from, zone);
  const toMs = fromZoneInput(to, zone);
  const problem =
    fromMs === null || toMs === null
      ? "Give both moments."
      : toMs - fromMs < minRangeMs
        ? "To must be at least a minute after from."
        : toMs - fromMs > maxRangeMs
          ? "At most 30 days."
          : null;
  const apply = (event: FormEvent) => {
    event.preventDefault();
    if (problem === null && fromMs !== null && toMs !== null) onApply({ preset: null, from: fromMs, to: toMs });
  };
  return (
    <form onSubmit={apply} className="flex flex-wrap items-center gap-2 text-xs text-zinc-600 dark:text-zinc-400">
      <label className="flex items-center gap-1.5">
        From
        <input type="datetime-local" className={input} value={from} onChange={(event) => setFrom(event.target.value)} />
      </label>
      <label className="flex items-center gap-1.5">
        To
        <input type="datetime-local" className={input} value={to} onChange={(event) => setTo(event.target.value)} />
      </label>
      <span>{zoneName(opened.to, zone)}</span>
      <button
        type="submit"
        disabled={problem !== null}
        className="rounded-md border border-zinc-900 bg-zinc-900 px-2 py-1 font-medium text-white disabled:border-zinc-200 disabled:bg-transparent disabled:text-zinc-400 dark:border-zinc-100 dark:bg-zinc-100 dark:text-zinc-900"
      >
        Apply
      </button>
      {problem && <span role="status">{problem}</span>}
    </form>
  );
}
