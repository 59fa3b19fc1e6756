"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useRangeHref } from "@/components/time/range-link";
import { cn } from "@/components/ui/cn";
import { can, type TPermission } from "@/lib/auth/permissions";
import type { TRole } from "@/lib/auth/roles";

// A link the role cannot open is not shown; the page refuses it on the server anyway.
const links: { href: string; label: string; permission?: TPermission }[] = [
  { href: "/", label: "Overview" },
  { href: "/services", label: "Services" },
  { href: "/sources", label: "Sources" },
  { href: "/topology", label: "Topology" },
  { href: "/events", label: "Events" },
  { href: "/config", label: "Config" },
  { href: "/audit", label: "Audit log" },
  { href: "/settings/tokens", label: "API tokens", permission: "tokens.manage" },
  { href: "/settings/users", label: "Users", permission: "users.manage" },
  { href: "/settings/health", label: "Health settings", permission: "webhooks.manage" },
  { href: "/settings/metrics", label: "Metrics settings" },
];

export function NavLinks({ role }: { role: TRole }) {
  const pathname = usePathname();
  const rangeHref = useRangeHref();
  return (
    // On a phone the links are one row that scrolls by itself; the page never scrolls sideways.
    <nav className="-mx-1 flex gap-1 overflow-x-auto px-1 md:mx-0 md:flex-col md:overflow-visible md:px-0">
      {links
        .filter(({ permission }) => !permission || can({ role, permission }))
        .map((link) => {
          const active = link.href === "/" ? pathname === "/" : pathname.startsWith(link.href);
          return (
            <Link
              key={link.href}
              href={rangeHref(link.href)}
              // Every dashboard page is rendered per request: prefetching all of them on each page view cost more server time than the pages themselves.
              prefetch={false}
              aria-current={active ? "page" : undefined}
              className={cn(
                "shrink-0 whitespace-nowrap rounded-md px-3 py-1.5 text-sm font-medium",
                active
                  ? "bg-zinc-200 text-zinc-900 dark:bg-zinc-800 dark:text-zinc-50"
                  : "text-zinc-600 hover:bg-zinc-100 dark:text-zinc-400 dark:hover:bg-zinc-900",
              )}
            >
              {link.label}
            </Link>
          );
        })}
    </nav>
  );
}
