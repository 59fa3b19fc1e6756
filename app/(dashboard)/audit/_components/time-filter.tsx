"use client";

import { useState, type FormEvent } from "react";
import { useHydrated } from "@/components/health/use-hydrated";
import { cn } from "@/components/ui/cn";

const presets = [
  ["1h", 3_600_000],
  ["24h", 86_400_000],
  ["7d", 604_800_000],
  ["30d", 2_592_000_000],
] as const;

const input =
  "rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm shadow-sm outline-none focus:border-zinc-500 disabled:opacity-60 dark:border-zinc-700 dark:bg-zinc-950";

// <input type="datetime-local"> speaks the reader's local time without a zone; the URL holds UTC.
function toLocalInput(iso: string): string {
  if (!iso) return "";
  const date = new Date(iso);
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

function fromLocalInput(value: string, bound: "from" | "to"): string {
  if (!value) return "";
  const time = new Date(value).getTime();
  // The input has whole minutes: "to 12:30" takes in all of 12:30.
  return Number.isNaN(time) ? "" : new Date(bound === "to" ? time + 59_999 : time).toISOString();
}

/** From and to, in the reader's time, applied together; or one of the last hour, day, week or month. */
export function TimeFilter({ from, to, onChange }: { from: string; to: string; onChange: (range: { from: string; to: string }) => void }) {
  const hydrated = useHydrated();
  const [draft, setDraft] = useState<{ from: string; to: string } | null>(null);
  const shown = draft ?? (hydrated ? { from: toLocalInput(from), to: toLocalInput(to) } : { from: "", to: "" });
  const edited = draft !== null && (draft.from !== toLocalInput(from) || draft.to !== toLocalInput(to));

  const apply = (event: FormEvent) => {
    event.preventDefault();
    if (!draft) return;
    onChange({ from: fromLocalInput(draft.from, "from"), to: fromLocalInput(draft.to, "to") });
    setDraft(null);
  };
  const choose = (range: { from: string; to: string }) => {
    setDraft(null);
    onChange(range);
  };

  return (
    <form onSubmit={apply} className="flex flex-wrap items-center gap-2 text-xs text-zinc-500 dark:text-zinc-400">
      <label className="flex items-center gap-1.5">
        From
        <input
          type="datetime-local"
          aria-label="From"
          disabled={!hydrated}
          className={input}
          value={shown.from}
          onChange={(event) => setDraft({ ...shown, from: event.target.value })}
        />
      </label>
      <label className="flex items-center gap-1.5">
        To
        <input
          type="datetime-local"
          aria-label="To"
          disabled={!hydrated}
          className={input}
          value={shown.to}
          onChange={(event) => setDraft({ ...shown, to: event.target.value })}
        />
      </label>
      <button
        type="submit"
        disabled={!edited}
        className={cn(
          "rounded-md border px-2 py-1 font-medium",
          edited
            ? "border-zinc-900 bg-zinc-900 text-white dark:border-zinc-100 dark:bg-zinc-100 dark:text-zinc-900"
            : "border-zinc-200 text-zinc-500 dark:text-zinc-400 dark:border-zinc-800",
        )}
      >
        Apply
      </button>
      <span className="flex items-center gap-1" role="group" aria-label="Last">
        <span>Last</span>
        {presets.map(([label, ms]) => (
          <button
            key={label}
            type="button"
            disabled={!hydrated}
            onClick={() => choose({ from: new Date(Date.now() - ms).toISOString(), to: "" })}
            className="rounded px-1.5 py-0.5 font-medium text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
          >
            {label}
          </button>
        ))}
        {(from || to) && (
          <button
            type="button"
            onClick={() => choose({ from: "", to: "" })}
            className="rounded px-1.5 py-0.5 font-medium text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800"
          >
            any time
          </button>
        )}
      </span>
    </form>
  );
}
