type TCounts = { total: number; passing: number; warning: number; critical: number; unknown: number };

const segments = [
  { key: "passing", className: "bg-emerald-500" },
  { key: "warning", className: "bg-amber-500" },
  { key: "critical", className: "bg-rose-500" },
  { key: "unknown", className: "bg-zinc-400" },
] as const;

// A service's instances by health, as one bar and a "passing / total" figure.
export function HealthBar({ counts }: { counts: TCounts }) {
  const label = segments.map(({ key }) => `${counts[key]} ${key}`).join(", ");
  return (
    <div className="flex min-w-40 flex-1 items-center gap-3" title={label}>
      <div className="flex h-2 flex-1 overflow-hidden rounded-full bg-zinc-100 dark:bg-zinc-800" role="img" aria-label={label}>
        {counts.total > 0 &&
          segments.map(({ key, className }) =>
            counts[key] > 0 ? <div key={key} className={className} style={{ width: `${(counts[key] / counts.total) * 100}%` }} /> : null,
          )}
      </div>
      <span className="w-12 text-right text-xs tabular-nums text-zinc-500 dark:text-zinc-400">
        {counts.passing}/{counts.total}
      </span>
    </div>
  );
}
