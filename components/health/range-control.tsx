"use client";

import { useRef, type KeyboardEvent } from "react";
import { cn } from "@/components/ui/cn";
import { useHydrated } from "./use-hydrated";

const moves: Record<string, (index: number, count: number) => number> = {
  ArrowRight: (index, count) => (index + 1) % count,
  ArrowDown: (index, count) => (index + 1) % count,
  ArrowLeft: (index, count) => (index - 1 + count) % count,
  ArrowUp: (index, count) => (index - 1 + count) % count,
  Home: () => 0,
  End: (_index, count) => count - 1,
};

/**
 * A segmented control: one of a few options, all visible. A WAI-ARIA radio group: one tab stop (the checked option,
 * or the first when none is), arrow keys move and check, Home and End jump.
 */
export function RangeControl<T extends string>({
  value,
  options,
  onChange,
  label,
  optionLabel = (option) => option,
}: {
  value: T | null;
  options: readonly T[];
  onChange: (value: T) => void;
  label: string;
  optionLabel?: (option: T) => string;
}) {
  const hydrated = useHydrated();
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const checked = value === null ? -1 : options.indexOf(value);
  const onKeyDown = (event: KeyboardEvent, index: number) => {
    const move = moves[event.key];
    const next = move ? options[move(index, options.length)] : undefined;
    if (!move || next === undefined) return;
    event.preventDefault();
    buttons.current[options.indexOf(next)]?.focus();
    onChange(next);
  };
  return (
    <div
      role="radiogroup"
      aria-label={label}
      className="inline-flex flex-wrap rounded-md border border-zinc-200 bg-zinc-50 p-0.5 text-xs dark:border-zinc-700 dark:bg-zinc-950"
    >
      {options.map((option, index) => (
        <button
          key={option}
          ref={(element) => {
            buttons.current[index] = element;
          }}
          type="button"
          role="radio"
          aria-checked={index === checked}
          tabIndex={index === Math.max(0, checked) ? 0 : -1}
          disabled={!hydrated}
          onClick={() => onChange(option)}
          onKeyDown={(event) => onKeyDown(event, index)}
          className={cn(
            "rounded px-2.5 py-1 font-medium tabular-nums",
            index === checked
              ? "bg-white text-zinc-900 shadow-sm dark:bg-zinc-700 dark:text-zinc-50"
              : "text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100",
          )}
        >
          {optionLabel(option)}
        </button>
      ))}
    </div>
  );
}
