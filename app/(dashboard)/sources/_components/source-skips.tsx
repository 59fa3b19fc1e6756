"use client";

import type { TSourceView } from "@/lib/sources/queries";

/** How many keys a source left out (or read in part), and the latest few with why; the rest are in the collector's log. */
export function SourceSkips({ skipped }: { skipped: TSourceView["skipped"] }) {
  if (skipped.count === 0)
    return (
      <span className="text-xs text-zinc-500 dark:text-zinc-400" data-testid="source-skipped">
        0
      </span>
    );
  return (
    <details className="max-w-80 text-xs">
      <summary className="cursor-pointer tabular-nums text-amber-700 dark:text-amber-400" data-testid="source-skipped">
        {skipped.count}
      </summary>
      <ul className="mt-1 space-y-1" data-testid="source-skip-reasons">
        {skipped.recent.map(({ key, reason }) => (
          <li key={key} className="break-all">
            <span className="font-mono">{key}</span>: <span className="text-zinc-500 dark:text-zinc-400">{reason}</span>
          </li>
        ))}
      </ul>
    </details>
  );
}
