import type { Metadata } from "next";
import { toAppError } from "@/lib/api/handler";
import { requirePageUser } from "@/lib/auth/session";
import { eventPageSize, parseEventFilters, encodeCursor, type TEventFilters } from "@/lib/health/event-filters";
import { listEvents } from "@/lib/health/queries";
import { listServices } from "@/lib/registry/queries";
import { EventsClient } from "./page-client";

export const metadata: Metadata = { title: "Events" };

type TProps = { searchParams: Promise<Record<string, string | string[] | undefined>> };

// The filters as the URL and the API both read them, with only what was valid kept.
function toQuery(filters: TEventFilters): string {
  const params = new URLSearchParams();
  if (filters.service) params.set("service", filters.service);
  if (filters.kind) params.set("kind", filters.kind.join(","));
  if (filters.range) params.set("range", filters.range);
  if (filters.before) params.set("before", encodeCursor(filters.before));
  if (filters.limit !== eventPageSize) params.set("limit", String(filters.limit));
  return params.toString();
}

export default async function EventsPage({ searchParams }: TProps) {
  await requirePageUser(); // a page can be fetched without its layout, so it checks for itself
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(await searchParams)) {
    for (const one of [value ?? []].flat()) params.append(key, one);
  }
  let filters: TEventFilters;
  let problem: string | null = null;
  try {
    filters = parseEventFilters(params);
  } catch (error) {
    problem = toAppError(error).message;
    filters = parseEventFilters(new URLSearchParams());
  }
  const [page, services] = await Promise.all([listEvents({ filters }), listServices()]);
  return (
    <EventsClient
      query={toQuery(filters)}
      filters={{ service: filters.service ?? "", kind: filters.kind?.join(",") ?? "", range: filters.range ?? "", paged: Boolean(filters.before) }}
      initialPage={page}
      services={services.map((service) => service.name)}
      problem={problem}
    />
  );
}
