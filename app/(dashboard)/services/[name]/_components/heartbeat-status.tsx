"use client";

import { useFormatTime } from "@/components/time/time-zone";
import { useNow } from "@/components/ui/time-ago";
import { formatDuration } from "@/lib/duration";

/** A TTL instance's last heartbeat and when it expires if none comes, counting down with the page clock. */
export function HeartbeatStatus({ lastHeartbeatAt, ttlMs }: { lastHeartbeatAt: string | null; ttlMs: number }) {
  const now = useNow();
  const format = useFormatTime();
  if (!lastHeartbeatAt) return <span className="text-zinc-500 dark:text-zinc-400">no heartbeat yet</span>;
  if (now === null) return <span className="text-zinc-500 dark:text-zinc-400">…</span>;
  const beat = new Date(lastHeartbeatAt).getTime();
  const age = Math.max(0, now - beat);
  const left = beat + ttlMs - now;
  return (
    <span className="tabular-nums" title={`last heartbeat ${format(beat)}, ttl ${formatDuration(ttlMs)}`}>
      beat {age < 1000 ? "just now" : `${formatDuration(age)} ago`} ·{" "}
      {left > 0 ? (
        <span className={left < ttlMs / 3 ? "text-amber-600 dark:text-amber-400" : undefined}>expires in {formatDuration(left)}</span>
      ) : (
        <span className="text-rose-600 dark:text-rose-400">expired {formatDuration(-left)} ago</span>
      )}
    </span>
  );
}
