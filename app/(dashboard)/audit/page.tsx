import type { Metadata } from "next";
import { parseAuditQuery, toAuditSearch } from "@/lib/audit/audit-filters";
import { listAuditEvents, listAuditFacets } from "@/lib/audit/queries";
import { requirePageUser } from "@/lib/auth/session";
import { parsePageSearch } from "@/lib/pagination/page-search";
import { toSearchParams, type TSearchParams } from "@/lib/pagination/search-params";
import { readTimeRange, resolveTimeRange, writeMoment } from "@/lib/time/range";
import { AuditClient } from "./page-client";

export const metadata: Metadata = { title: "Audit log" };

type TProps = { searchParams: Promise<TSearchParams> };

// The console's ?range=1h is, for the log, everything since an hour ago; ?from=&to= the log reads as it is.
function withPresetResolved(search: TSearchParams): URLSearchParams {
  const params = toSearchParams(search);
  const { range } = readTimeRange(params);
  if (range?.preset) {
    params.delete("range");
    params.set("from", writeMoment(resolveTimeRange(range, Date.now()).from));
  }
  return params;
}

export default async function AuditPage({ searchParams }: TProps) {
  await requirePageUser(); // a page can be fetched without its layout, so it checks for itself
  const { value: query, problem } = parsePageSearch(withPresetResolved(await searchParams), parseAuditQuery);
  const [page, facets] = await Promise.all([listAuditEvents(query), listAuditFacets()]);
  const { filters } = query;
  return (
    <AuditClient
      query={toAuditSearch(query)}
      exportQuery={toAuditSearch({ filters })}
      filters={{
        user: filters.user ?? "",
        service: filters.service ?? "",
        action: filters.action?.value ?? "",
        from: filters.from?.toISOString() ?? "",
        to: filters.to?.toISOString() ?? "",
        paged: Boolean(query.cursor),
      }}
      initialPage={page}
      facets={facets}
      problem={problem}
    />
  );
}
