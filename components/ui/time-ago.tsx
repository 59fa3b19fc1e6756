"use client";

import { useSyncExternalStore } from "react";
import { useFormatTime } from "@/components/time/time-zone";
import { formatDuration } from "@/lib/duration";

// One shared clock for every relative time on the page, ticking once a second.
let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void) {
  listeners.add(listener);
  timer ??= setInterval(() => {
    now = Date.now();
    listeners.forEach((notify) => notify());
  }, 1000);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/**
 * The current time, ticking each second; null while rendering on the server and hydrating, where
 * the two clocks differ and a mismatch would make React rebuild the page (and empty its forms).
 */
export function useNow(): number | null {
  return useSyncExternalStore(
    subscribe,
    () => now,
    () => null,
  );
}

export function TimeAgo({ at, fallback = "never" }: { at: string | null; fallback?: string }) {
  const current = useNow();
  const formatTime = useFormatTime();
  if (!at) return <span className="text-zinc-500 dark:text-zinc-400">{fallback}</span>;
  if (current === null)
    return (
      <time dateTime={at} className="text-zinc-500 dark:text-zinc-400">
        …
      </time>
    );
  const ms = Math.max(0, current - new Date(at).getTime());
  return (
    <time dateTime={at} title={formatTime(at)} className="tabular-nums">
      {ms < 1000 ? "just now" : `${formatDuration(ms)} ago`}
    </time>
  );
}

/** "in 9 min 58 s": how long until a moment ahead (an override's expiry), ticking. */
export function TimeUntil({ at }: { at: string }) {
  const current = useNow();
  const formatTime = useFormatTime();
  if (current === null)
    return (
      <time dateTime={at} className="text-zinc-500 dark:text-zinc-400">
        …
      </time>
    );
  const ms = new Date(at).getTime() - current;
  return (
    <time dateTime={at} title={formatTime(at)} className="tabular-nums">
      {ms <= 0 ? "now" : `in ${formatDuration(ms)}`}
    </time>
  );
}
