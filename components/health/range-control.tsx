"use client";

import { cn } from "@/components/ui/cn";
import { useHydrated } from "./use-hydrated";

/** A segmented control: one of a few options, all visible. */
export function RangeControl<T extends string>({
  value,
  options,
  onChange,
  label,
}: {
  value: T;
  options: readonly T[];
  onChange: (value: T) => void;
  label: string;
}) {
  const hydrated = useHydrated();
  return (
    <div
      role="radiogroup"
      aria-label={label}
      className="inline-flex rounded-md border border-zinc-200 bg-zinc-50 p-0.5 text-xs dark:border-zinc-700 dark:bg-zinc-950"
    >
      {options.map((option) => (
        <button
          key={option}
          type="button"
          role="radio"
          aria-checked={option === value}
          disabled={!hydrated}
          onClick={() => onChange(option)}
          className={cn(
            "rounded px-2.5 py-1 font-medium tabular-nums",
            option === value
              ? "bg-white text-zinc-900 shadow-sm dark:bg-zinc-700 dark:text-zinc-50"
              : "text-zinc-500 dark:text-zinc-400 hover:text-zinc-900 dark:hover:text-zinc-100",
          )}
        >
          {option}
        </button>
      ))}
    </div>
  );
}
