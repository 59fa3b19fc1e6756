import { cn } from "@/components/ui/cn";
import { diffLines, diffStats, type TDiffLine } from "@/lib/config/formats/diff";

type TRow = { left: TDiffLine | null; right: TDiffLine | null };

// Removed and added lines next to each other, kept lines on both sides, as a side-by-side view reads best.
function pairRows(lines: TDiffLine[]): TRow[] {
  const rows: TRow[] = [];
  let removed: TDiffLine[] = [];
  let added: TDiffLine[] = [];
  const flush = () => {
    for (let i = 0; i < Math.max(removed.length, added.length); i += 1) rows.push({ left: removed[i] ?? null, right: added[i] ?? null });
    removed = [];
    added = [];
  };
  for (const line of lines) {
    if (line.kind === "removed") removed.push(line);
    else if (line.kind === "added") added.push(line);
    else {
      flush();
      rows.push({ left: line, right: line });
    }
  }
  flush();
  return rows;
}

function Cell({ line, side }: { line: TDiffLine | null; side: "left" | "right" }) {
  const number = line ? (side === "left" ? line.oldLine : line.newLine) : null;
  const tone = !line
    ? "bg-zinc-50 dark:bg-zinc-900"
    : line.kind === "removed"
      ? "bg-rose-50 dark:bg-rose-950/60"
      : line.kind === "added"
        ? "bg-emerald-50 dark:bg-emerald-950/60"
        : "";
  return (
    <>
      <td className={cn("w-10 select-none border-r border-zinc-200 px-2 text-right text-zinc-500 dark:text-zinc-400 dark:border-zinc-800", tone)}>{number}</td>
      <td className={cn("whitespace-pre-wrap break-all px-2", tone)} data-kind={line?.kind ?? "empty"}>
        {line && line.kind !== "same" && (
          <span aria-hidden className="mr-1 select-none text-zinc-500 dark:text-zinc-400">
            {line.kind === "removed" ? "−" : "+"}
          </span>
        )}
        {line?.text}
      </td>
    </>
  );
}

/** Two versions side by side, changed lines coloured, with the count of lines added and removed. */
export function SideBySideDiff({ before, after, beforeLabel, afterLabel }: { before: string; after: string; beforeLabel: string; afterLabel: string }) {
  const lines = diffLines(before, after);
  const { added, removed } = diffStats(lines);
  return (
    <div className="overflow-hidden rounded-md border border-zinc-200 dark:border-zinc-800" data-testid="diff">
      <div className="flex items-center justify-between border-b border-zinc-200 bg-zinc-50 px-3 py-1.5 text-xs dark:border-zinc-800 dark:bg-zinc-900">
        <span className="font-medium">
          {beforeLabel} → {afterLabel}
        </span>
        <span data-testid="diff-stats">
          <span className="text-emerald-700 dark:text-emerald-400">+{added}</span> <span className="text-rose-700 dark:text-rose-400">−{removed}</span>
        </span>
      </div>
      {added + removed === 0 ? (
        <p className="px-3 py-4 text-sm text-zinc-500 dark:text-zinc-400">No difference.</p>
      ) : (
        <div className="max-h-[28rem] overflow-auto">
          <table className="w-full table-fixed font-mono text-xs leading-5">
            <colgroup>
              <col className="w-10" />
              <col />
              <col className="w-10" />
              <col />
            </colgroup>
            <tbody>
              {pairRows(lines).map((row, index) => (
                <tr key={index}>
                  <Cell line={row.left} side="left" />
                  <Cell line={row.right} side="right" />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
