import type { Metadata } from "next";
import { SkeletonBoundary } from "@/components/ui/page-skeleton";
import { requirePageUser } from "@/lib/auth/session";
import { parsePageSearch } from "@/lib/pagination/page-search";
import type { TSearchParams } from "@/lib/pagination/search-params";
import { listServicePage } from "@/lib/status/service-list";
import { parseServiceListQuery, toServiceListSearch } from "@/lib/status/service-list-query";
import { ServicesClient } from "./page-client";

export const metadata: Metadata = { title: "Services" };

type TProps = { searchParams: Promise<TSearchParams> };

// One page of services, filtered, searched and sorted on the server; the URL holds all of it, so a view can be linked.
async function ServicesView({ searchParams }: TProps) {
  await requirePageUser(); // a page can be fetched without its layout, so it checks for itself
  const { value: query, problem } = parsePageSearch(await searchParams, parseServiceListQuery);
  return <ServicesClient query={query} search={toServiceListSearch(query)} initialPage={await listServicePage({ query })} problem={problem} />;
}

// Its own boundary: a loading.tsx here would also wrap the detail pages below (see SkeletonBoundary).
export default function ServicesPage(props: TProps) {
  return (
    <SkeletonBoundary>
      <ServicesView {...props} />
    </SkeletonBoundary>
  );
}
