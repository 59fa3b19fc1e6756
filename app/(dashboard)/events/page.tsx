import type { Metadata } from "next";
import { requirePageUser } from "@/lib/auth/session";
import { parseEventFilters, toEventSearch } from "@/lib/health/event-filters";
import { listEvents } from "@/lib/health/queries";
import { parsePageSearch } from "@/lib/pagination/page-search";
import type { TSearchParams } from "@/lib/pagination/search-params";
import { listServices } from "@/lib/registry/service-detail";
import { EventsClient } from "./page-client";

export const metadata: Metadata = { title: "Events" };

type TProps = { searchParams: Promise<TSearchParams> };

export default async function EventsPage({ searchParams }: TProps) {
  await requirePageUser(); // a page can be fetched without its layout, so it checks for itself
  const { value: filters, problem } = parsePageSearch(await searchParams, parseEventFilters);
  const [page, services] = await Promise.all([listEvents({ filters }), listServices()]);
  return (
    <EventsClient
      query={toEventSearch(filters)}
      filters={{ service: filters.service ?? "", kind: filters.kind?.join(",") ?? "", paged: Boolean(filters.before) }}
      initialPage={page}
      services={services.map((service) => service.name)}
      problem={problem}
    />
  );
}
