import "@xyflow/react/dist/style.css";
import type { Metadata } from "next";
import { toAppError } from "@/lib/api/gate";
import { requirePageUser } from "@/lib/auth/session";
import { getTopology } from "@/lib/metrics/topology/topology-query";
import { parseTopologyParams, toTopologySearch, type TTopologyParams } from "@/lib/metrics/topology/topology-query-params";
import { parsePageSearch } from "@/lib/pagination/page-search";
import { toSearchParams, type TSearchParams } from "@/lib/pagination/search-params";
import { listFleetTags } from "@/lib/registry/service-detail";
import { rangeParams } from "@/lib/time/range";
import { TopologyClient } from "./page-client";

export const metadata: Metadata = { title: "Topology" };

type TProps = { searchParams: Promise<TSearchParams> };

export default async function TopologyPage({ searchParams }: TProps) {
  await requirePageUser(); // a page can be fetched without its layout, so it checks for itself
  const params = toSearchParams(await searchParams);
  // The console's range sets the slider's reach: the page's, not the API's.
  for (const name of rangeParams) params.delete(name);
  const now = Date.now();
  let { value: filters, problem } = parsePageSearch(params, (search) => parseTopologyParams(search, now));
  const read = ({ window, ...shown }: TTopologyParams) => getTopology({ ...shown, windowMs: window, now });
  const [topology, tags] = await Promise.all([
    read(filters).catch((error) => {
      // A link to a service no longer there shows the whole graph and says why.
      problem = toAppError(error).message;
      filters = { ...filters, service: undefined };
      return read(filters);
    }),
    listFleetTags(),
  ]);
  return (
    <TopologyClient
      query={toTopologySearch(filters)}
      filters={{
        q: filters.q ?? "",
        tag: filters.tag ?? "",
        service: filters.service ?? "",
        hops: filters.hops ?? 1,
        group: filters.group ?? "namespace",
        expand: filters.expand ?? [],
        at: filters.at ?? null,
      }}
      initialTopology={topology}
      tags={tags}
      problem={problem}
    />
  );
}
