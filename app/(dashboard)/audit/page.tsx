import type { Metadata } from "next";
import { toAppError } from "@/lib/api/handler";
import { parseAuditQuery, toAuditSearch, type TAuditQuery } from "@/lib/audit/audit-filters";
import { listAuditEvents, listAuditFacets } from "@/lib/audit/queries";
import { requirePageUser } from "@/lib/auth/session";
import { AuditClient } from "./page-client";

export const metadata: Metadata = { title: "Audit log" };

type TProps = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function AuditPage({ searchParams }: TProps) {
  await requirePageUser(); // a page can be fetched without its layout, so it checks for itself
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(await searchParams)) {
    for (const one of [value ?? []].flat()) params.append(key, one);
  }
  let query: TAuditQuery;
  let problem: string | null = null;
  try {
    query = parseAuditQuery(params);
  } catch (error) {
    problem = toAppError(error).message;
    query = parseAuditQuery(new URLSearchParams());
  }
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
