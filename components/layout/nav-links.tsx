"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useRangeHref } from "@/components/time/range-link";
import { cn } from "@/components/ui/cn";
import { can, type TPermission } from "@/lib/auth/permissions";
import type { TRole } from "@/lib/auth/roles";

// A link the role cannot open is not shown; the page refuses it on the server anyway.
export const navLinks: { href: string; label: string; permission?: TPermission }[] = [
  { href: "/", label: "Overview" },
  { href: "/services", label: "Services" },
  { href: "/sources", label: "Sources" },
  { href: "/dataplanes", label: "Data planes", permission: "dataplanes.read" },
  { href: "/topology", label: "Topology" },
  { href: "/events", label: "Events" },
  { href: "/alerts", label: "Alerts" },
  { href: "/config", label: "Config" },
  { href: "/audit", label: "Audit log" },
  { href: "/settings/tokens", label: "API tokens", permission: "tokens.manage" },
  { href: "/settings/users", label: "Users", permission: "users.manage" },
  { href: "/settings/health", label: "Health settings", permission: "webhooks.manage" },
  { href: "/settings/metrics", label: "Metrics settings" },
];

export function NavLinks({ role, onNavigate }: { role: TRole; onNavigate?: () => void }) {
  const pathname = usePathname();
  const rangeHref = useRangeHref();
  return (
    <nav aria-label="Main" className="flex flex-col gap-1">
      {navLinks
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
              onClick={onNavigate}
              className={cn(
                "rounded-md px-3 py-2 text-sm font-medium md:py-1.5",
                active
                  ? "bg-zinc-200 text-zinc-900 dark:bg-zinc-800 dark:text-zinc-50"
                  : "text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800",
              )}
            >
              {link.label}
            </Link>
          );
        })}
    </nav>
  );
}
