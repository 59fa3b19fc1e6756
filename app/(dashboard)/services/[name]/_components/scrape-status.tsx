"use client";

import { TimeAgo } from "@/components/ui/time-ago";
import type { TInstanceView } from "@/lib/registry/instance-view";

/** An instance's last metrics scrape: when and how long, or why it failed, or that it is not scraped. */
export function ScrapeStatus({ metrics, scrape }: Pick<TInstanceView, "metrics" | "scrape">) {
  if (!metrics)
    return (
      <span className="text-zinc-500 dark:text-zinc-400" title="registered without a metrics endpoint">
        not scraped
      </span>
    );
  const endpoint = `:${metrics.port}${metrics.path}`;
  if (!scrape)
    return (
      <span className="text-zinc-500 dark:text-zinc-400" title={endpoint}>
        not scraped yet
      </span>
    );
  return (
    <span className="block max-w-64 space-y-0.5" title={endpoint}>
      <span className="block whitespace-nowrap text-zinc-500 dark:text-zinc-400">
        scraped <TimeAgo at={scrape.at} />
      </span>
      {/* How long the scrape itself took, not the instance's request latency. */}
      {scrape.durationMs !== null && (
        <span className="block whitespace-nowrap text-zinc-500 dark:text-zinc-400">scrape took {Math.round(scrape.durationMs)} ms</span>
      )}
      {scrape.error && (
        <span className="line-clamp-2 break-all text-rose-600 dark:text-rose-400" title={scrape.error}>
          {scrape.error}
        </span>
      )}
    </span>
  );
}
