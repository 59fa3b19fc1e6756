import type { Metadata } from "next";
import { can } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { numberedSearch, readNumberedPage } from "@/lib/pagination/numbered";
import { toSearch } from "@/lib/pagination/search-params";
import { listSources } from "@/lib/sources/queries";
import { SourcesClient } from "./page-client";

export const metadata: Metadata = { title: "Sources" };

export default async function SourcesPage({ searchParams }: PageProps<"/sources">) {
  const user = await requirePageUser();
  // A page at a time; ?page= and ?limit= as the API reads them.
  const paged = readNumberedPage(await searchParams);
  return (
    <SourcesClient
      initial={await listSources(paged)}
      query={toSearch(numberedSearch(paged))}
      canManage={can({ role: user.role, permission: "sources.manage" })}
    />
  );
}
