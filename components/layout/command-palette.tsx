"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useDeferredValue, useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { useRangeHref } from "@/components/time/range-link";
import { cn } from "@/components/ui/cn";
import { can } from "@/lib/auth/permissions";
import type { TRole } from "@/lib/auth/roles";
import { apiUrls } from "@/lib/clients/api-urls";
import { fetchApi } from "@/lib/clients/fetch-api";
import type { TSearchHit } from "@/lib/search/search-console";
import { navLinks } from "./nav-links";

const kindLabels: Record<TSearchHit["kind"], string> = {
  page: "Page",
  service: "Service",
  instance: "Instance",
  tag: "Tag",
  config: "Config",
  action: "Action",
};

// Typing into a field is never a shortcut; "/" there is a slash.
function typing(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}

/**
 * Ctrl-K (or "/") anywhere: one field that finds pages, services, instances by id, address or tag, config keys and
 * the actions the role may take, and opens the one chosen with its filters (and the page's time range).
 */
export function CommandPalette({ role }: { role: TRole }) {
  const router = useRouter();
  const rangeHref = useRangeHref();
  const dialog = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  const [text, setText] = useState("");
  const [active, setActive] = useState(0);
  const listId = useId();
  const q = useDeferredValue(text.trim());

  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      const ctrlK = (event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "k";
      if (!ctrlK && !(event.key === "/" && !typing(event.target))) return;
      event.preventDefault();
      setOpen(true);
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);
  useEffect(() => {
    const element = dialog.current;
    if (open && element && !element.open) element.showModal();
    if (!open && element?.open) element.close();
  }, [open]);

  const found = useQuery({
    queryKey: ["search", q],
    queryFn: () => fetchApi(apiUrls.search(q)),
    enabled: open && q.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 5000,
  });
  const needle = q.toLowerCase();
  const pages: TSearchHit[] = navLinks
    .filter(({ permission }) => !permission || can({ role, permission }))
    .filter(({ label }) => label.toLowerCase().includes(needle))
    .map(({ href, label }) => ({ kind: "page", label, detail: href, href }));
  const hits: TSearchHit[] = [...(q ? (found.data?.hits ?? []) : []), ...pages];
  const chosen = Math.min(active, Math.max(0, hits.length - 1));

  const close = () => {
    setOpen(false);
    setText("");
    setActive(0);
  };
  const go = (hit: TSearchHit | undefined) => {
    if (!hit) return;
    close();
    router.push(rangeHref(hit.href));
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive(hits.length ? (chosen + step + hits.length) % hits.length : 0);
    } else if (event.key === "Enter") {
      event.preventDefault();
      go(hits[chosen]);
    }
  };

  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        aria-keyshortcuts="Control+K /"
        title="Search (Ctrl K or /)"
        className="shrink-0 rounded-md border border-zinc-300 px-2 py-1.5 text-sm text-zinc-600 hover:bg-zinc-100 dark:border-zinc-700 dark:text-zinc-300 dark:hover:bg-zinc-800"
      >
        Search
      </button>
      <dialog
        ref={dialog}
        aria-label="Search the console"
        onClose={close}
        onClick={(event) => event.target === dialog.current && close()}
        className="mx-auto mt-[12vh] w-[36rem] max-w-[calc(100vw-2rem)] rounded-lg border border-zinc-200 bg-white p-0 text-zinc-900 shadow-2xl backdrop:bg-zinc-950/50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
      >
        {open && (
          <div>
            <input
              autoFocus
              role="combobox"
              aria-label="Search services, instances, config and pages"
              aria-expanded={hits.length > 0}
              aria-controls={hits.length ? listId : undefined}
              aria-activedescendant={hits.length ? `${listId}-${chosen}` : undefined}
              aria-autocomplete="list"
              placeholder="Service, instance id or address, tag, config key, page…"
              value={text}
              onChange={(event) => {
                setText(event.target.value);
                setActive(0);
              }}
              onKeyDown={onKeyDown}
              className="w-full border-b border-zinc-200 bg-transparent px-4 py-3 text-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-indigo-500 dark:border-zinc-700"
            />
            {/* A listbox must hold options: none is rendered while nothing matches. */}
            {hits.length > 0 && (
              <ul id={listId} role="listbox" aria-label="Results" className="max-h-[60vh] overflow-y-auto py-1">
                {hits.map((hit, index) => (
                  <li
                    key={`${hit.kind} ${hit.href} ${hit.label}`}
                    id={`${listId}-${index}`}
                    role="option"
                    aria-selected={index === chosen}
                    data-kind={hit.kind}
                    onMouseMove={() => setActive(index)}
                    onClick={() => go(hit)}
                    className={cn("flex cursor-pointer items-baseline gap-3 px-4 py-2 text-sm", index === chosen && "bg-indigo-50 dark:bg-indigo-950/60")}
                  >
                    <span className="w-16 shrink-0 text-xs text-zinc-600 dark:text-zinc-400">{kindLabels[hit.kind]}</span>
                    <span className="min-w-0 truncate font-medium">{hit.label}</span>
                    <span className="ml-auto min-w-0 truncate text-xs text-zinc-600 dark:text-zinc-400">{hit.detail}</span>
                  </li>
                ))}
              </ul>
            )}
            {hits.length === 0 && (
              <p role="status" className="px-4 py-3 text-sm text-zinc-500 dark:text-zinc-400">
                {found.isFetching ? "Searching…" : `Nothing matches “${q}”.`}
              </p>
            )}
            {found.error && <p className="px-4 pb-2 text-xs text-rose-600 dark:text-rose-400">{found.error.message}</p>}
          </div>
        )}
      </dialog>
    </>
  );
}
