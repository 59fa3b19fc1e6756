"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";
import { cn } from "@/components/ui/cn";
import { useNow } from "@/components/ui/time-ago";
import { formatDuration } from "@/lib/duration";
import { withSearch } from "@/lib/pagination/search-params";
import { readRefreshChoice, refreshChoiceNames } from "@/lib/time/refresh";
import type { TLiveState } from "./use-live-query";

const choiceLabels = { off: "paused", "1s": "every 1 s", "5s": "every 5 s", "10s": "every 10 s", "30s": "every 30 s", "1m": "every 1 min" } as const;

/**
 * How old the data on screen is, and whether it is still coming: "stale" once no answer came for twice the poll
 * interval (a hung API raises no error, and the client's retries hide one for a while). With the refresh control.
 */
export function LiveIndicator({ live }: { live: TLiveState | TLiveState[] }) {
  const states = [live].flat();
  const error = states.find((state) => state.error)?.error ?? null;
  const updatedAt = Math.min(...states.map((state) => state.updatedAt));
  const polls = states.map((state) => state.pollMs).filter((ms): ms is number => ms !== null);
  const paused = polls.length === 0;
  const staleAfter = paused ? null : 2 * Math.max(...polls);

  // Set by a timer at the moment the data turns stale: exact, without reading the clock while rendering.
  const [staleSince, setStaleSince] = useState<number | null>(null);
  useEffect(() => {
    if (staleAfter === null || !Number.isFinite(staleAfter)) return;
    const timer = setTimeout(() => setStaleSince(updatedAt), Math.max(0, updatedAt + staleAfter - Date.now()));
    return () => clearTimeout(timer);
  }, [updatedAt, staleAfter]);
  const stale = !paused && staleSince === updatedAt;

  const now = useNow();
  const age = now === null ? null : Math.max(0, now - updatedAt);
  const state = error && stale ? "lost" : stale ? "stale" : paused ? "paused" : "live";
  const label = { lost: "connection lost", stale: "stale", paused: "paused", live: "live" }[state];

  return (
    <span className="inline-flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-zinc-600 dark:text-zinc-400">
      {/* Not a live region: its age changes every second, and a screen reader would read each one out. */}
      <span
        data-testid="live-indicator"
        data-state={state}
        className="inline-flex items-center gap-1.5"
        title={error ? error.message : staleAfter === null ? "not refreshing" : `refreshing every ${formatDuration(staleAfter / 2)}`}
      >
        <span
          aria-hidden
          className={cn(
            "size-2 rounded-full",
            state === "live" ? "animate-pulse bg-emerald-500" : state === "paused" ? "bg-zinc-400" : state === "stale" ? "bg-amber-500" : "bg-rose-500",
          )}
        />
        <span className="font-medium">{label}</span>
        {age !== null && <span className="tabular-nums">· data {age < 1000 ? "just now" : `${formatDuration(age)} old`}</span>}
      </span>
      <RefreshControl />
    </span>
  );
}

/** Pause, or poll at another interval: kept in the URL (?refresh=), so a reload or a link keeps it. */
function RefreshControl() {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const choice = readRefreshChoice(search.get("refresh"));
  return (
    <select
      aria-label="Refresh"
      value={choice ?? ""}
      onChange={(event) => router.replace(withSearch(pathname, search.toString(), { refresh: event.target.value }), { scroll: false })}
      className="rounded-md border border-zinc-300 bg-white px-1.5 py-0.5 text-xs dark:border-zinc-700 dark:bg-zinc-950"
    >
      <option value="">auto refresh</option>
      {refreshChoiceNames.map((name) => (
        <option key={name} value={name}>
          {choiceLabels[name]}
        </option>
      ))}
    </select>
  );
}
