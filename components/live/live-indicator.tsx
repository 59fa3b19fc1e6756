"use client";

import { cn } from "@/components/ui/cn";

export function LiveIndicator({ error }: { error: Error | null }) {
  return (
    <span className="inline-flex items-center gap-1.5 text-xs text-zinc-500 dark:text-zinc-400" title={error ? error.message : "updates every second"}>
      <span className={cn("size-2 rounded-full", error ? "bg-rose-500" : "animate-pulse bg-emerald-500")} />
      {error ? "connection lost, retrying" : "live"}
    </span>
  );
}
