import { describeChange } from "@/lib/audit/describe-change";

const shownLines = 3;

function pretty(value: unknown): string {
  if (value === null || value === undefined) return "—";
  return typeof value === "string" ? value : JSON.stringify(value, null, 2);
}

/** Before → after in a line per changed key (`weight 100 → 0`), with both sides as JSON a click away. */
export function AuditChange({ before, after }: { before: unknown; after: unknown }) {
  const lines = describeChange({ before, after });
  if (before === null && after === null) return <span className="text-zinc-500 dark:text-zinc-400">—</span>;
  return (
    <div className="min-w-0 space-y-0.5 text-xs">
      {lines.length === 0 && <span className="text-zinc-500 dark:text-zinc-400">no change</span>}
      {lines.slice(0, shownLines).map((line, index) => (
        <div key={index} className="flex min-w-0 flex-wrap items-baseline gap-x-1.5 font-mono">
          {line.key !== null && <span className="text-zinc-500 dark:text-zinc-400">{line.key}</span>}
          {line.before !== undefined && (
            // A value removed (nothing after it) is struck through; one replaced is followed by its successor.
            <span
              className={line.after === undefined ? "break-all text-rose-700 line-through dark:text-rose-300" : "break-all text-zinc-600 dark:text-zinc-400"}
            >
              {line.before}
            </span>
          )}
          {line.before !== undefined && line.after !== undefined && (
            <span aria-label="changed to" className="text-zinc-500 dark:text-zinc-400">
              →
            </span>
          )}
          {line.after !== undefined && <span className="break-all font-medium text-zinc-900 dark:text-zinc-100">{line.after}</span>}
        </div>
      ))}
      <details className="group">
        <summary className="cursor-pointer select-none text-zinc-500 dark:text-zinc-400 hover:text-zinc-900 dark:hover:text-zinc-100">
          {lines.length > shownLines ? `JSON, ${lines.length - shownLines} more` : "JSON"}
        </summary>
        <div className="mt-1 space-y-1.5">
          {/* Only the sides there are: a creation has no before, a removal no after. */}
          {(["before", "after"] as const)
            .filter((side) => (side === "before" ? before : after) !== null)
            .map((side) => (
              <div key={side} className="min-w-0">
                <div className="text-[11px] font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400">{side}</div>
                <pre className="max-h-64 overflow-auto whitespace-pre-wrap break-all rounded bg-zinc-50 p-2 font-mono text-[11px] leading-snug dark:bg-zinc-950">
                  {pretty(side === "before" ? before : after)}
                </pre>
              </div>
            ))}
        </div>
      </details>
    </div>
  );
}
