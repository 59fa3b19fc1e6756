"use client";

import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { AuditTable } from "./_components/audit-table";
import { useHydrated } from "@/components/health/use-hydrated";
import { LiveIndicator } from "@/components/live/live-indicator";
import { TimeRangeBar } from "@/components/time/time-range-bar";
import { useLiveQuery } from "@/components/live/use-live-query";
import { Card } from "@/components/ui/card";
import { FormError } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { ServicePicker } from "@/components/ui/service-picker";
import type { TAuditFacets, TAuditPage } from "@/lib/audit/queries";
import { withSearch } from "@/lib/pagination/search-params";
import { apiUrls } from "@/lib/clients/api-urls";

type TFilterKey = "user" | "service" | "action" | "from" | "to";
type TShownFilters = Record<TFilterKey, string> & { paged: boolean };

const select = "max-w-48 rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm shadow-sm focus:border-zinc-500 dark:border-zinc-700 dark:bg-zinc-950";
const actorKinds: Record<string, string> = { user: "user", token: "token", system: "system" };

// Actions grouped by their first part, each group first offered whole (`instance.` = every instance action).
function actionGroups(actions: string[], current: string) {
  const all = current && !actions.includes(current) && !current.endsWith(".") ? [...actions, current] : actions;
  const groups = new Map<string, string[]>();
  for (const action of all) {
    const group = action.split(".")[0] ?? action;
    groups.set(group, [...(groups.get(group) ?? []), action]);
  }
  return [...groups].sort(([a], [b]) => a.localeCompare(b));
}

export function AuditClient({
  query,
  exportQuery,
  filters,
  initialPage,
  facets,
  problem,
}: {
  query: string;
  exportQuery: string;
  filters: TShownFilters;
  initialPage: TAuditPage;
  facets: TAuditFacets;
  problem: string | null;
}) {
  const router = useRouter();
  const hydrated = useHydrated();
  const live = useLiveQuery({ url: apiUrls.audit(query), initialData: initialPage, intervalMs: 3000 });
  const { data } = live;

  // A filter change starts again at the newest events; the URL holds the filters so a view can be linked. Built on the
  // URL, not on the query: ?range=1h stays a preset rather than the moment the server read it as.
  const search = useSearchParams().toString();
  const setFilters = (values: Partial<Record<TFilterKey, string>>) => {
    router.replace(withSearch("/audit", search, { cursor: null, ...values }), { scroll: false });
  };
  const withCursor = (cursor: string | null) => withSearch("/audit", search, { cursor });

  const filtered = Boolean(filters.user || filters.service || filters.action || filters.from || filters.to);
  const actors =
    filters.user && !facets.actors.some((actor) => actor.value === filters.user)
      ? [...facets.actors, { value: filters.user, name: filters.user, type: "" }]
      : facets.actors;
  const groups = actionGroups(facets.actions, filters.action);

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change made through Meshdeck: who, when, before and after, and why. Append-only."
        action={
          <div className="flex items-center gap-4">
            <LiveIndicator live={live} />
            <a
              href={apiUrls.auditExport(exportQuery)}
              download
              title="The events matching these filters, newest first, at most 100 000"
              className="inline-flex items-center gap-2 rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:hover:bg-zinc-800"
            >
              Export CSV
            </a>
          </div>
        }
      />
      <div className="mb-4 space-y-2">
        <TimeRangeBar fallback={null} />
        {problem && <FormError message={`This link's filters were not understood (${problem}); showing the whole log instead.`} />}
      </div>
      <Card>
        <div className="flex flex-wrap items-center gap-x-4 gap-y-2 border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
          <label className="flex items-center gap-2 text-xs text-zinc-500 dark:text-zinc-400">
            User
            <select
              aria-label="User"
              disabled={!hydrated}
              className={select}
              value={filters.user}
              onChange={(event) => setFilters({ user: event.target.value })}
            >
              <option value="">Anyone</option>
              {actors.map((actor) => (
                <option key={actor.value} value={actor.value}>
                  {actor.name}
                  {actorKinds[actor.type] ? ` (${actorKinds[actor.type]})` : ""}
                </option>
              ))}
            </select>
          </label>
          <ServicePicker label="Service" value={filters.service} all="All services" onChange={(service) => setFilters({ service })} />
          <label className="flex items-center gap-2 text-xs text-zinc-500 dark:text-zinc-400">
            Action
            <select
              aria-label="Action"
              disabled={!hydrated}
              className={select}
              value={filters.action}
              onChange={(event) => setFilters({ action: event.target.value })}
            >
              <option value="">All actions</option>
              {groups.map(([group, actions]) => (
                <optgroup key={group} label={group}>
                  <option value={`${group}.`}>{`${group}.* (all)`}</option>
                  {actions
                    .filter((action) => action !== `${group}.`)
                    .map((action) => (
                      <option key={action} value={action}>
                        {action}
                      </option>
                    ))}
                </optgroup>
              ))}
              {filters.action.endsWith(".") && !groups.some(([group]) => `${group}.` === filters.action) && (
                <option value={filters.action}>{`${filters.action}*`}</option>
              )}
            </select>
          </label>
          {filtered && (
            <button
              type="button"
              onClick={() => router.replace("/audit", { scroll: false })}
              className="ml-auto text-xs font-medium text-zinc-500 dark:text-zinc-400 hover:text-zinc-900 dark:hover:text-zinc-100"
            >
              Clear filters
            </button>
          )}
        </div>
        {filters.paged && (
          <p className="border-b border-zinc-100 px-4 py-2 text-xs text-zinc-500 dark:text-zinc-400 dark:border-zinc-800">
            Showing older events.{" "}
            <Link href={withCursor(null)} className="font-medium text-zinc-900 hover:underline dark:text-zinc-100">
              Back to the newest
            </Link>
          </p>
        )}
        <AuditTable
          events={data.events}
          empty={
            filtered
              ? "No audit event matches these filters."
              : "Nothing has been changed yet. Users, API tokens, webhooks, settings, weights and policies changed here are recorded."
          }
        />
        {data.nextCursor && (
          <div className="border-t border-zinc-100 px-4 py-2 text-right text-sm dark:border-zinc-800">
            <Link href={withCursor(data.nextCursor)} className="font-medium hover:underline">
              Older events →
            </Link>
          </div>
        )}
      </Card>
    </>
  );
}
