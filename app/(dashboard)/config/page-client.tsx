"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { ImportCard } from "./_components/import-card";
import { NamespacesCard } from "./_components/namespaces-card";
import { NewItemCard } from "./_components/new-item-card";
import { LiveIndicator } from "@/components/live/live-indicator";
import { useLiveQuery } from "@/components/live/use-live-query";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { FormError } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { NumberedPager } from "@/components/ui/pager";
import { EmptyState, Table, Td } from "@/components/ui/table";
import { TimeAgo } from "@/components/ui/time-ago";
import { apiUrls } from "@/lib/clients/api-urls";
import type { TConfigListPage } from "@/lib/config/queries";
import { countOf } from "@/lib/plural";

type TNamespace = { name: string; description: string; items: number };

export function ConfigListClient({
  namespaces,
  namespace,
  unknownNamespace,
  q,
  query,
  initialPage,
  canEdit,
  canManageNamespaces,
}: {
  namespaces: TNamespace[];
  namespace: string | null;
  unknownNamespace: string | null;
  q: string;
  /** The page's query as the URL and the API read it (namespace, q, page, limit). */
  query: string;
  initialPage: TConfigListPage;
  canEdit: boolean;
  canManageNamespaces: boolean;
}) {
  const router = useRouter();
  const [search, setSearch] = useState(q);
  // No namespace, no items to follow.
  const url = namespace ? apiUrls.configItems(query) : null;
  const live = useLiveQuery({ url, initialData: { namespace: namespace ?? "", ...initialPage }, intervalMs: 3000 });
  const { data } = live;
  const { items } = data;

  // The search goes in the URL (so a view can be linked) a moment after typing stops.
  useEffect(() => {
    if (search === q) return;
    const timer = setTimeout(
      () => router.replace(`/config?namespace=${namespace ?? ""}${search ? `&q=${encodeURIComponent(search)}` : ""}`, { scroll: false }),
      300,
    );
    return () => clearTimeout(timer);
  }, [search, q, namespace, router]);

  const groups = [...new Set(items.map((item) => item.group))];
  return (
    <>
      <PageHeader
        title="Config"
        description="Versioned configuration that services read and watch live. Every publish is a new version; nothing is rewritten."
        action={<LiveIndicator live={live} />}
      />
      {unknownNamespace && (
        <div className="mb-4">
          <FormError message={`There is no namespace '${unknownNamespace}'; showing ${namespace ?? "none"} instead.`} />
        </div>
      )}
      <div className="mb-4 flex flex-wrap items-center gap-3">
        <nav aria-label="Namespaces" className="flex gap-1 rounded-lg bg-zinc-200/60 p-1 dark:bg-zinc-800">
          {namespaces.map((row) => (
            <Link
              key={row.name}
              href={`/config?namespace=${row.name}`}
              prefetch={false}
              aria-current={row.name === namespace ? "page" : undefined}
              title={row.description}
              className={cn(
                "rounded-md px-3 py-1 text-sm font-medium",
                row.name === namespace ? "bg-white shadow-sm dark:bg-zinc-950" : "text-zinc-600 hover:text-zinc-900 dark:text-zinc-400",
              )}
            >
              {row.name} <span className="text-xs text-zinc-500 dark:text-zinc-400">{row.items}</span>
            </Link>
          ))}
        </nav>
        <input
          type="search"
          aria-label="Search items"
          placeholder="Search group or key"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          className="w-full max-w-64 rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm shadow-sm focus:border-zinc-500 dark:border-zinc-700 dark:bg-zinc-950"
        />
      </div>
      <Card title={namespace ? `Items in ${namespace}` : "Items"}>
        <Table
          head={["Group", "Key", "Format", "Version", "Last change", ""]}
          empty={
            items.length === 0 && (
              <EmptyState>
                {q
                  ? `No item in ${namespace} matches "${q}".`
                  : namespace
                    ? `${namespace} holds no item yet.`
                    : "There is no namespace: an admin creates one below."}
              </EmptyState>
            )
          }
        >
          {items.map((item, index) => (
            <tr
              key={`${item.group}/${item.key}`}
              data-testid={`config-item-${item.group}-${item.key}`}
              className={cn(index > 0 && items[index - 1]!.group !== item.group && "border-t-2 border-t-zinc-200 dark:border-t-zinc-700")}
            >
              <Td className="font-medium">{index === 0 || items[index - 1]!.group !== item.group ? item.group : ""}</Td>
              <Td>
                <Link
                  href={`/config/${item.namespace}/${item.group}/${item.key}`}
                  prefetch={false}
                  className="font-mono text-sm text-sky-700 hover:underline dark:text-sky-400"
                >
                  {item.key}
                </Link>
                {item.secret && (
                  <span className="ml-2">
                    <Badge tone="warn">secret</Badge>
                  </span>
                )}
              </Td>
              <Td>
                <Badge>{item.format}</Badge>
              </Td>
              <Td className="tabular-nums">
                v{item.version}
                {item.grayVersion && (
                  <span className="ml-2">
                    <Badge tone="info">gray v{item.grayVersion}</Badge>
                  </span>
                )}
              </Td>
              <Td className="text-xs">
                <div className="max-w-md truncate" title={item.lastMessage}>
                  {item.lastMessage}
                </div>
                <div className="text-zinc-500 dark:text-zinc-400">
                  {item.lastAuthor}, <TimeAgo at={item.lastAt} />
                </div>
              </Td>
              <Td className="text-right">
                <Link
                  href={`/config/${item.namespace}/${item.group}/${item.key}`}
                  prefetch={false}
                  className="text-xs font-medium text-zinc-600 hover:underline dark:text-zinc-300"
                >
                  {canEdit ? "Edit" : "View"} →
                </Link>
              </Td>
            </tr>
          ))}
        </Table>
        {groups.length > 0 && (
          <p className="border-t border-zinc-100 px-4 py-2 text-xs text-zinc-500 dark:text-zinc-400 dark:border-zinc-800">
            {data.pages > 1
              ? `${countOf(items.length, "item")} of ${data.total} shown`
              : `${countOf(items.length, "item")} in ${countOf(groups.length, "group")}`}
          </p>
        )}
        <NumberedPager path="/config" paging={{ ...data, query }} label="Item pages" />
      </Card>
      {namespace && canEdit && (
        <div className="mt-6 grid gap-6 lg:grid-cols-2">
          <NewItemCard namespace={namespace} groups={groups} />
          <ImportCard namespace={namespace} />
        </div>
      )}
      {!canEdit && (
        <p className="mt-6 text-sm text-zinc-500 dark:text-zinc-400">Read-only: viewers see every item and its history; an operator or admin can publish.</p>
      )}
      {canManageNamespaces && <NamespacesCard namespaces={namespaces} />}
    </>
  );
}
