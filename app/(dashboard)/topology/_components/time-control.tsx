"use client";

import { useEffect, useState } from "react";
import { useHydrated } from "@/components/health/use-hydrated";
import { useFormatTime } from "@/components/time/time-zone";
import { Button } from "@/components/ui/button";
import { useNow } from "@/components/ui/time-ago";
import { formatDuration } from "@/lib/duration";
import { resolveTimeRange, type TTimeRange } from "@/lib/time/range";
import { rangeStepMs } from "./time-ranges";

// The slider settles this long before the graph is asked for: dragging does not fire a request per step.
const settleMs = 250;

/**
 * Live, or a moment within the console's range: a slider from the range's start to its end. A preset's positions are
 * counted back from when the control appeared (the page keys it by range), so the slider does not creep while held.
 */
export function TimeControl({ range, at, onChange }: { range: TTimeRange; at: number | null; onChange: (at: number | null) => void }) {
  const hydrated = useHydrated();
  const formatTime = useFormatTime();
  const now = useNow();
  const [mounted, setMounted] = useState(() => Date.now());
  const window = resolveTimeRange(range, mounted);
  const anchor = window.to;
  const spanMs = window.to - window.from;
  const stepMs = rangeStepMs(spanMs);
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
    const timer = setTimeout(() => onChange(offset === 0 ? null : anchor + offset), settleMs);
    return () => clearTimeout(timer);
  }, [offset, committed, anchor, onChange]);

  const shownAt = offset === 0 ? null : anchor + offset;
  return (
    <div className="flex flex-wrap items-center gap-3">
      <input
        type="range"
        aria-label="Moment shown"
        min={-spanMs}
        max={0}
        step={stepMs}
        value={offset}
        disabled={!hydrated}
        onChange={(event) => setOffset(Number(event.target.value))}
        className="w-32 accent-zinc-900 sm:w-56 dark:accent-zinc-100"
      />
      <span className="text-xs tabular-nums sm:min-w-40 text-zinc-600 dark:text-zinc-400" aria-live="polite" data-testid="topology-moment">
        {shownAt === null ? "live, refreshed every 5 s" : hydrated ? `${formatTime(shownAt)} · ${formatDuration((now ?? anchor) - shownAt)} ago` : "…"}
      </span>
      {at !== null && (
        <Button
          variant="secondary"
          onClick={() => {
            setMounted(Date.now());
            onChange(null);
          }}
        >
          Back to live
        </Button>
      )}
    </div>
  );
}
