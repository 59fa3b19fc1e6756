import "@xyflow/react/dist/style.css";
import type { Metadata } from "next";
import { readRange } from "./_components/time-ranges";
import { toAppError } from "@/lib/api/handler";
import { requirePageUser } from "@/lib/auth/session";
import { getTopology } from "@/lib/metrics/topology-query";
import { parseTopologyParams, type TTopologyParams } from "@/lib/metrics/topology-query-params";
import { listServices } from "@/lib/registry/queries";
import { TopologyClient } from "./page-client";

export const metadata: Metadata = { title: "Topology" };

type TProps = { searchParams: Promise<Record<string, string | string[] | undefined>> };

// The filters as the URL and the API both read them, with only what was valid kept.
function toQuery({ at, window, q, tag, service }: TTopologyParams): string {
  const params = new URLSearchParams();
  if (at !== undefined) params.set("at", String(at));
  if (window !== 60_000) params.set("window", `${window}ms`);
  if (q) params.set("q", q);
  if (tag) params.set("tag", tag);
  if (service) params.set("service", service);
  return params.toString();
}

export default async function TopologyPage({ searchParams }: TProps) {
  await requirePageUser(); // a page can be fetched without its layout, so it checks for itself
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(await searchParams)) {
    for (const one of [value ?? []].flat()) params.append(key, one);
  }
  // The slider's reach belongs to the page, not to the API.
  const range = readRange(params.get("range"));
  params.delete("range");
  const now = Date.now();
  let filters: TTopologyParams;
  let problem: string | null = null;
  try {
    filters = parseTopologyParams(params, now);
  } catch (error) {
    problem = toAppError(error).message;
    filters = parseTopologyParams(new URLSearchParams(), now);
  }
  const read = (shown: TTopologyParams) => getTopology({ at: shown.at, windowMs: shown.window, q: shown.q, tag: shown.tag, service: shown.service, now });
  const [topology, services] = await Promise.all([
    read(filters).catch((error) => {
      // A link to a service no longer there shows the whole graph and says why.
      problem = toAppError(error).message;
      filters = { ...filters, service: undefined };
      return read(filters);
    }),
    listServices(),
  ]);
  const tags = [...new Set(services.flatMap((service) => service.tags))].sort();
  return <TopologyClient query={toQuery(filters)} filters={{ q: filters.q ?? "", tag: filters.tag ?? "", service: filters.service ?? "", at: filters.at ?? null, range }} initialTopology={topology} tags={tags} problem={problem} />;
}
