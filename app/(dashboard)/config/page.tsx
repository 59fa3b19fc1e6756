import type { Metadata } from "next";
import { SkeletonBoundary } from "@/components/ui/page-skeleton";
import { can } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { listNamespaces } from "@/lib/config/publish/namespaces";
import { listConfigItems } from "@/lib/config/queries";
import { numberedSearch, pageOf, readNumberedPage } from "@/lib/pagination/numbered";
import { toSearch } from "@/lib/pagination/search-params";
import { ConfigListClient } from "./page-client";

export const metadata: Metadata = { title: "Config" };

async function ConfigView({ searchParams }: PageProps<"/config">) {
  const user = await requirePageUser(); // a page can be fetched without its layout, so it checks for itself
  const asked = await searchParams;
  const namespaces = await listNamespaces();
  const wanted = typeof asked.namespace === "string" ? asked.namespace : undefined;
  const namespace = namespaces.find((row) => row.name === wanted)?.name ?? namespaces[0]?.name ?? null;
  const q = typeof asked.q === "string" ? asked.q.slice(0, 200) : "";
  // A page of items, counted and searched on the server; a page or limit that cannot be read is the first page of 50.
  const paged = readNumberedPage(asked);
  const items = namespace ? await listConfigItems({ namespace, q, ...paged }) : { items: [], ...pageOf(0, paged) };
  return (
    <ConfigListClient
      namespaces={namespaces}
      namespace={namespace}
      unknownNamespace={wanted !== undefined && wanted !== namespace ? wanted : null}
      q={q}
      query={toSearch({ namespace: namespace ?? undefined, q, ...numberedSearch(paged) })}
      initialPage={items}
      canEdit={can({ role: user.role, permission: "config.publish" })}
      canManageNamespaces={can({ role: user.role, permission: "namespaces.manage" })}
    />
  );
}

// Its own boundary: a loading.tsx here would also wrap the detail pages below (see SkeletonBoundary).
export default function ConfigPage(props: PageProps<"/config">) {
  return (
    <SkeletonBoundary>
      <ConfigView {...props} />
    </SkeletonBoundary>
  );
}
