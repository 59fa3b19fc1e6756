"use client";

import Link from "next/link";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { cn } from "@/components/ui/cn";
import type { TRole } from "@/lib/auth/roles";
import { Brand } from "./brand";
import { NavLinks } from "./nav-links";

/**
 * The sidebar from md up; below md a bar with a Menu button that opens the same links and the account controls as a
 * drawer over the page, so the page itself is never wider than the phone.
 */
export function NavDrawer({ role, search, account }: { role: TRole; search: ReactNode; account: ReactNode }) {
  const [open, setOpen] = useState(false);
  const panel = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    panel.current?.querySelector<HTMLElement>("a, button")?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      setOpen(false);
      toggle.current?.focus();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [open]);

  return (
    <aside className="sticky top-0 z-30 border-b border-zinc-200 bg-white md:h-screen md:w-56 md:shrink-0 md:border-b-0 md:border-r dark:border-zinc-800 dark:bg-zinc-900">
      <div className="flex h-14 items-center justify-between gap-2 px-4 md:h-16 md:px-3">
        {/* Narrower on the sidebar, where the brand shares its 14 rem with the search button. */}
        <Link href="/" className="px-3 md:px-0">
          <Brand />
        </Link>
        <span className="flex items-center gap-2">
          {search}
          <button
            ref={toggle}
            type="button"
            aria-expanded={open}
            aria-controls="nav-drawer"
            onClick={() => setOpen(!open)}
            className="rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-medium md:hidden dark:border-zinc-700"
          >
            {open ? "Close" : "Menu"}
          </button>
        </span>
      </div>
      {open && <div aria-hidden className="fixed inset-0 top-14 z-30 bg-zinc-950/40 md:hidden" onClick={() => setOpen(false)} />}
      <div
        id="nav-drawer"
        ref={panel}
        className={cn(
          "flex-col gap-6 overflow-y-auto px-4 pb-4 md:flex md:h-[calc(100vh-4rem)]",
          open
            ? "fixed bottom-0 left-0 top-14 z-40 flex w-72 max-w-[85vw] border-r border-zinc-200 bg-white pt-2 shadow-xl md:static md:w-auto md:border-0 md:pt-0 md:shadow-none dark:border-zinc-800 dark:bg-zinc-900"
            : "hidden",
        )}
      >
        <NavLinks role={role} onNavigate={() => setOpen(false)} />
        {account}
      </div>
    </aside>
  );
}
