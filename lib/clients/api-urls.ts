// The API paths the dashboard's pages call from the browser, each typed with what it answers; only types come from the server.
import type { TActiveAlert, TAlertChange } from "@/lib/alerts/queries";
import type { TAlertRule } from "@/lib/alerts/rule-schema";
import type { TAuditPage } from "@/lib/audit/queries";
import type { getClientItem } from "@/lib/config/watch/client-read";
import type { getVersionPair, TConfigItemDetail, TConfigListPage } from "@/lib/config/queries";
import type { TConfigRef } from "@/lib/config/schemas";
import type { TConfigExport, TImportChange } from "@/lib/config/publish/transfer";
import type { TEventHighlights, TEventPage, THealthHistory } from "@/lib/health/queries";
import type { TIncidentDetail, TIncidentPage } from "@/lib/incidents/queries";
import type { TSearchHit } from "@/lib/search/search-console";
import type { TSilenceView } from "@/lib/notify/silences";
import { withSearch } from "@/lib/pagination/search-params";
import { timeRangeSearch, type TTimeRange } from "@/lib/time/range";
import type { TServiceChart, TTopology } from "@/lib/metrics/views";
import type { TOverview, TServiceDetail } from "@/lib/registry/service-detail";
import type { TServiceNames, TServicePage } from "@/lib/status/service-list";
import type { TServiceStatusView } from "@/lib/status/queries";
import type { THaproxyView } from "@/lib/dataplanes/haproxy/backend-view";
import type { TDataPlaneView } from "@/lib/dataplanes/queries";
import type { listSources } from "@/lib/sources/queries";

declare const answers: unique symbol;
/** A path of the API that answers with a `T`: a string to fetch, link to or key a query by. */
export type TApiUrl<T> = string & { readonly [answers]?: T };

export type TConfigDiff = Awaited<ReturnType<typeof getVersionPair>>;
export type TImportResult = { dryRun: boolean; changes: TImportChange[]; written?: { item: string; version: number }[] };

function apiUrl<T>(path: string, query: string | URLSearchParams = ""): TApiUrl<T> {
  const search = String(query);
  return search ? `${path}?${search}` : path;
}

// Every path segment is encoded, whatever the caller passes.
const servicePath = (name: string) => `/api/v1/services/${encodeURIComponent(name)}`;
const itemPath = ({ namespace, group, key }: TConfigRef) => `/api/v1/config/items/${[namespace, group, key].map(encodeURIComponent).join("/")}`;

export const apiUrls = {
  overview: () => apiUrl<TOverview>("/api/v1/overview"),
  // `query` as toServiceListSearch writes it: one page of services, filtered and sorted.
  services: (query = "") => apiUrl<TServicePage>("/api/v1/services", query),
  // The service picker's search: at most `limit` names holding `q`, of services with `tag` if given.
  serviceNames: ({ q, tag, limit }: { q: string; tag?: string; limit: number }) =>
    apiUrl<TServiceNames>("/api/v1/services", new URLSearchParams({ ...(q ? { q } : {}), ...(tag ? { tag } : {}), limit: String(limit), fields: "name" })),
  // `query` as toInstancePageSearch writes it: one page of the instances, filtered.
  service: (name: string, query = "") => apiUrl<TServiceDetail>(servicePath(name), query),
  // `page` as toInstancePageSearch writes it: the timelines of the instances that page shows.
  serviceHealth: (name: string, range: TTimeRange, page = "") =>
    apiUrl<THealthHistory>(`${servicePath(name)}/health`, withSearch("", page, timeRangeSearch(range)).slice(1)),
  // One instance's timeline alone.
  instanceHealth: (name: string, instanceId: string, range: TTimeRange) =>
    apiUrl<THealthHistory>(`${servicePath(name)}/health`, withSearch("", `instance=${encodeURIComponent(instanceId)}`, timeRangeSearch(range)).slice(1)),
  // `query` as chartSearchParams writes it.
  serviceMetrics: (name: string, query: string) => apiUrl<TServiceChart>(`${servicePath(name)}/metrics`, query),
  search: (q: string) => apiUrl<{ hits: TSearchHit[] }>("/api/v1/search", new URLSearchParams({ q })),
  events: (query: string | URLSearchParams = "") => apiUrl<TEventPage>("/api/v1/events", query),
  // `query`: service=, before= (a history cursor), limit=.
  alerts: (query: string | URLSearchParams = "") =>
    apiUrl<{ active: TActiveAlert[]; activeTotal: number; history: TAlertChange[]; nextCursor: string | null }>("/api/v1/alerts", query),
  alertRules: () => apiUrl<{ rules: TAlertRule[] }>("/api/v1/alerts/rules"),
  alertRulesExport: () => apiUrl<string>("/api/v1/alerts/rules/export"),
  incidents: (query: string | URLSearchParams = "") => apiUrl<TIncidentPage>("/api/v1/incidents", query),
  incident: (id: string) => apiUrl<TIncidentDetail>(`/api/v1/incidents/${encodeURIComponent(id)}`),
  serviceStatus: (name: string) => apiUrl<TServiceStatusView>(`${servicePath(name)}/status`),
  serviceSilences: (name: string) => apiUrl<{ silences: TSilenceView[] }>(`${servicePath(name)}/silences`),
  eventHighlights: () => apiUrl<TEventHighlights>("/api/v1/events/summary"),
  topology: (query = "") => apiUrl<TTopology>("/api/v1/topology", query),
  audit: (query = "") => apiUrl<TAuditPage>("/api/v1/audit", query),
  auditExport: (query = "") => apiUrl<string>("/api/v1/audit/export", query),
  sources: (query = "") => apiUrl<Awaited<ReturnType<typeof listSources>>>("/api/v1/sources", query),
  dataPlanes: () => apiUrl<{ dataPlanes: TDataPlaneView[] }>("/api/v1/dataplanes"),
  dataPlane: (name: string) => apiUrl<{ dataPlane: TDataPlaneView; view: THaproxyView }>(`/api/v1/dataplanes/${encodeURIComponent(name)}`),
  configItems: (query: string) => apiUrl<{ namespace: string } & TConfigListPage>("/api/v1/config", query),
  configItem: (ref: TConfigRef) => apiUrl<Awaited<ReturnType<typeof getClientItem>>>(itemPath(ref)),
  configHistory: (ref: TConfigRef) => apiUrl<TConfigItemDetail>(`${itemPath(ref)}/history`),
  configDiff: (ref: TConfigRef, { from, to }: { from: number; to: number }) =>
    apiUrl<TConfigDiff>(`${itemPath(ref)}/diff`, new URLSearchParams({ from: String(from), to: String(to) })),
  configExport: (namespace: string) => apiUrl<TConfigExport>("/api/v1/config/export", new URLSearchParams({ namespace })),
  configImport: (namespace: string, how: { dryRun: true } | { message: string }) =>
    apiUrl<TImportResult>("/api/v1/config/import", new URLSearchParams({ namespace, ...("dryRun" in how ? { dryRun: "true" } : { message: how.message }) })),
};
