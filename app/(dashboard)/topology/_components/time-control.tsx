"use client";

import { useEffect, useState } from "react";
import { RangeControl } from "@/components/health/range-control";
import { useHydrated } from "@/components/health/use-hydrated";
import { Button } from "@/components/ui/button";
import { formatDuration } from "@/lib/duration";
import { chartRanges } from "@/lib/metrics/views";
import { rangeStepMs, topologyRangeNames, type TTopologyRange } from "./time-ranges";

// The slider settles this long before the graph is asked for: dragging does not fire a request per step.
const settleMs = 250;

/**
 * Live, or a moment within the last `range`: a slider from the range's start to now. Positions are
 * counted back from when the range was picked, so the slider does not creep while it is held.
 */
export function TimeControl({
  range,
  at,
  onChange,
}: {
  range: TTopologyRange;
  at: number | null;
  onChange: (next: { range: TTopologyRange; at: number | null }) => void;
}) {
  const hydrated = useHydrated();
  const [anchor, setAnchor] = useState(() => Date.now());
  const spanMs = chartRanges[range];
  const stepMs = rangeStepMs(range);
  const committed = at === null ? 0 : Math.max(-spanMs, Math.min(0, Math.round((at - anchor) / stepMs) * stepMs));
  const [offset, setOffset] = useState(committed);
  // A new position from outside (the URL) moves the slider, as React suggests: while rendering, not in an effect.
  const [shownCommitted, setShownCommitted] = useState(committed);
  if (committed !== shownCommitted) {
    setShownCommitted(committed);
    setOffset(committed);
  }

  useEffect(() => {
    if (offset === committed) return;
    const timer = setTimeout(() => onChange({ range, at: offset === 0 ? null : anchor + offset }), settleMs);
    return () => clearTimeout(timer);
  }, [offset, committed, anchor, range, onChange]);

  const shownAt = offset === 0 ? null : anchor + offset;
  return (
    <div className="flex flex-wrap items-center gap-3">
      <RangeControl
        label="How far back"
        value={range}
        options={topologyRangeNames}
        onChange={(next) => {
          setAnchor(Date.now());
          onChange({ range: next, at: null });
        }}
      />
      <input
        type="range"
        aria-label="Moment shown"
        min={-spanMs}
        max={0}
        step={stepMs}
        value={offset}
        disabled={!hydrated}
        onChange={(event) => setOffset(Number(event.target.value))}
        className="w-56 accent-zinc-900 dark:accent-zinc-100"
      />
      <span className="min-w-40 text-xs tabular-nums text-zinc-600 dark:text-zinc-400" aria-live="polite" data-testid="topology-moment">
        {shownAt === null ? "live, refreshed every 5 s" : hydrated ? `${new Date(shownAt).toLocaleString()} · ${formatDuration(-offset)} ago` : "…"}
      </span>
      {at !== null && (
        <Button
          variant="secondary"
          onClick={() => {
            setAnchor(Date.now());
            onChange({ range, at: null });
          }}
        >
          Back to live
        </Button>
      )}
    </div>
  );
}
