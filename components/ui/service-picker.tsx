"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useDeferredValue, useId, useState, type KeyboardEvent } from "react";
import { useHydrated } from "@/components/health/use-hydrated";
import { apiUrls } from "@/lib/clients/api-urls";
import { fetchApi } from "@/lib/clients/fetch-api";
import { cn } from "./cn";

// A person reads this many names; more is a sign to type more. The same size with 10 services or 10,000.
export const servicePickerLimit = 20;

type TProps = {
  label: string;
  /** The chosen service's name; "" is none (or every service, when `all` names that choice). */
  value: string;
  onChange: (name: string) => void;
  /** The choice of no service in particular, offered first ("All services"); without it a service must be chosen. */
  all?: string;
  /** Only services with an instance carrying this tag. */
  tag?: string;
  /** Submitted with a form under this name. */
  name?: string;
  error?: string;
  /** "filter": a label beside a small field, as in a filter bar; "field": a form's field, its label above. */
  look?: "filter" | "field";
  className?: string;
};

/**
 * A service chosen by typing part of its name: the server searches (GET /api/v1/services?fields=name) and answers at
 * most `servicePickerLimit` names, so the page never holds the fleet's. A combobox (ARIA 1.2): arrows move, Enter
 * chooses, Escape puts back what was chosen.
 */
export function ServicePicker({ label, value, onChange, all, tag, name, error, look = "filter", className }: TProps) {
  const hydrated = useHydrated();
  const listId = useId();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState<string | null>(null); // null: not typing, the field shows the value
  const [active, setActive] = useState(0);
  const q = useDeferredValue((text ?? "").trim());
  const found = useQuery({
    queryKey: ["service-names", q, tag ?? ""],
    queryFn: () => fetchApi(apiUrls.serviceNames({ q, tag, limit: servicePickerLimit })),
    enabled: open,
    placeholderData: keepPreviousData,
    staleTime: 5000,
  });
  const names = found.data?.names ?? [];
  const options = [...(all !== undefined && !q ? [{ value: "", text: all }] : []), ...names.map((each) => ({ value: each, text: each }))];
  const chosen = Math.min(active, Math.max(0, options.length - 1));
  const more = found.data ? found.data.total - names.length : 0;

  const close = () => {
    setOpen(false);
    setText(null);
    setActive(0);
  };
  const choose = (option: { value: string } | undefined) => {
    if (!option) return;
    close();
    if (option.value !== value) onChange(option.value);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!open) return setOpen(true);
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive(options.length ? (chosen + step + options.length) % options.length : 0);
    } else if (event.key === "Enter" && open) {
      event.preventDefault();
      choose(options[chosen]);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      close();
    }
  };

  const shown = text ?? (value || all || "");
  return (
    <div className={cn("relative", look === "filter" && "w-full sm:w-auto", className)}>
      <label
        className={
          look === "field" ? "block text-sm font-medium" : "flex flex-col gap-1 text-xs text-zinc-500 sm:flex-row sm:items-center sm:gap-2 dark:text-zinc-400"
        }
      >
        {label}
        <input
          role="combobox"
          aria-label={label}
          aria-expanded={open && options.length > 0}
          aria-controls={open && options.length ? listId : undefined}
          aria-activedescendant={open && options.length ? `${listId}-${chosen}` : undefined}
          aria-autocomplete="list"
          aria-invalid={Boolean(error)}
          autoComplete="off"
          spellCheck={false}
          disabled={!hydrated}
          data-value={value}
          value={shown}
          placeholder="Type to search services"
          onFocus={(event) => {
            setOpen(true);
            event.target.select();
          }}
          onClick={() => setOpen(true)}
          onBlur={close}
          onChange={(event) => {
            setText(event.target.value);
            setActive(0);
            setOpen(true);
          }}
          onKeyDown={onKeyDown}
          className={cn(
            // 16 px on a phone: a smaller field makes mobile browsers zoom in on focus.
            "w-full min-w-0 rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-base font-normal text-zinc-900 shadow-sm focus:border-zinc-500 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 sm:text-sm dark:border-zinc-700 dark:bg-zinc-950 dark:text-zinc-100",
            look === "field" ? "mt-1 block px-3" : "sm:w-56 sm:py-1",
            error && "border-rose-400",
          )}
        />
      </label>
      {name && <input type="hidden" name={name} value={value} />}
      {error && <span className="mt-1 block text-xs text-rose-600 dark:text-rose-400">{error}</span>}
      {open && (
        <div
          className={cn(
            "absolute left-0 z-30 mt-1 w-full min-w-56 overflow-hidden rounded-md border border-zinc-200 bg-white text-sm text-zinc-900 shadow-lg dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100",
            look === "filter" && "sm:right-0 sm:left-auto sm:w-72",
          )}
        >
          {/* A listbox must hold options: none is rendered while nothing matches. */}
          {options.length > 0 && (
            <ul id={listId} role="listbox" aria-label={`${label} matches`} className="max-h-72 overflow-y-auto py-1">
              {options.map((option, index) => (
                <li
                  key={option.value || "\u0000all"}
                  id={`${listId}-${index}`}
                  role="option"
                  aria-selected={index === chosen}
                  data-value={option.value}
                  // Pressing an option must not blur the field before the click lands.
                  onMouseDown={(event) => event.preventDefault()}
                  onMouseMove={() => setActive(index)}
                  onClick={() => choose(option)}
                  className={cn(
                    "flex cursor-pointer items-center justify-between gap-2 truncate px-3 py-2.5 sm:py-1.5",
                    index === chosen && "bg-indigo-50 dark:bg-indigo-950/60",
                    option.value === "" && "text-zinc-600 dark:text-zinc-400",
                  )}
                >
                  <span className="truncate">{option.text}</span>
                  {option.value === value && <span aria-hidden="true">✓</span>}
                </li>
              ))}
            </ul>
          )}
          <p role="status" className="border-t border-zinc-100 px-3 py-1.5 text-xs text-zinc-600 dark:border-zinc-800 dark:text-zinc-400">
            {found.error
              ? found.error.message
              : !found.data
                ? "Searching…"
                : names.length === 0
                  ? q
                    ? `No service holds “${q}”${tag ? ` with tag ${tag}` : ""}.`
                    : "No service yet."
                  : more > 0
                    ? `${names.length} of ${found.data.total} shown: type to narrow.`
                    : `${names.length} ${names.length === 1 ? "service" : "services"}.`}
          </p>
        </div>
      )}
    </div>
  );
}
