"use client";

import { useLiveQuery } from "@/components/live/use-live-query";
import { RangeLink } from "@/components/time/range-link";
import { Card } from "@/components/ui/card";
import { RegisterFirstService } from "@/components/ui/copy-command";
import { HealthBar } from "@/components/health/health-bar";
import { apiUrls } from "@/lib/clients/api-urls";
import { withSearch } from "@/lib/pagination/search-params";
import type { TServicePage } from "@/lib/status/service-list";
import { Pager } from "@/components/ui/pager";
import { StatusBadge } from "../../services/_components/status-badge";

/** The overview's services, least healthy first (failing, degraded, healthy, idle), a page at a time (`?spage=` in the URL). */
export function ServicesByStatus({ query, search, initialPage }: { query: string; search: string; initialPage: TServicePage }) {
  const live = useLiveQuery({ url: apiUrls.services(query), initialData: initialPage, initialUrl: apiUrls.services(query), intervalMs: 5000 });
  const { services, page, pages, total } = live.data;
  const to = (n: number) => withSearch("/", search, { spage: n > 1 ? String(n) : null });
  return (
    <Card
      title="Services, least healthy first"
      action={
        <RangeLink href="/services?sort=status" className="text-xs text-zinc-500 hover:underline dark:text-zinc-400">
          All {total} services
        </RangeLink>
      }
    >
      {total === 0 ? (
        <RegisterFirstService />
      ) : (
        <ul className="divide-y divide-zinc-100 dark:divide-zinc-800" aria-label="Services by status">
          {services.map((service) => (
            <li
              key={service.name}
              className="flex flex-wrap items-center gap-x-3 gap-y-1 px-4 py-2 text-sm"
              data-service={service.name}
              data-status={service.status}
            >
              <RangeLink href={`/services/${encodeURIComponent(service.name)}`} className="w-32 truncate font-medium hover:underline">
                {service.name}
              </RangeLink>
              <StatusBadge status={service.status} reason={service.statusReason} />
              <HealthBar counts={service.instances} />
            </li>
          ))}
        </ul>
      )}
      <Pager page={page} pages={pages} to={to} label="Service pages" />
    </Card>
  );
}
