"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useHydrated } from "@/components/health/use-hydrated";
import { HealthBar } from "@/components/health/health-bar";
import { LiveIndicator } from "@/components/live/live-indicator";
import { useLiveQuery } from "@/components/live/use-live-query";
import { RangeLink } from "@/components/time/range-link";
import { Badge, ProtocolBadge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { RegisterFirstService } from "@/components/ui/copy-command";
import { FormError } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState, Table, Td } from "@/components/ui/table";
import { apiUrls } from "@/lib/clients/api-urls";
import { withSearch } from "@/lib/pagination/search-params";
import { serviceStatuses } from "@/lib/status/objectives";
import type { TServicePage, TServiceRow } from "@/lib/status/service-list";
import { toServiceListSearch, type TServiceListQuery, type TServiceSort } from "@/lib/status/service-list-query";
import { Sparkline } from "./_components/sparkline";
import { StatusBadge } from "./_components/status-badge";
import { Pager } from "@/components/ui/pager";

const field = "rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm font-normal shadow-sm focus:border-zinc-500 dark:border-zinc-700 dark:bg-zinc-950";
const figure = (value: number | null, digits: number, unit = "") => (value === null ? "–" : `${value.toFixed(digits)}${unit}`);

type TProps = { query: TServiceListQuery; search: string; initialPage: TServicePage; problem: string | null };

/** Services with their status and golden signals, a page at a time; filters, search, sort and page live in the URL. */
export function ServicesClient({ query, search, initialPage, problem }: TProps) {
  const router = useRouter();
  const hydrated = useHydrated();
  const live = useLiveQuery({ url: apiUrls.services(search), initialData: initialPage, initialUrl: apiUrls.services(search), intervalMs: 5000 });
  const { data } = live;
  const filtered = Boolean(query.q || query.status || query.tag || query.source);
  // A filter or sort change starts again at the first page.
  const link = (changes: Record<string, string | null>) => withSearch("/services", search, { page: null, ...changes });
  const setFilter = (key: string, value: string) => router.replace(link({ [key]: value.trim() || null }), { scroll: false });

  const sortHead = (label: string, sort: TServiceSort) => {
    const active = query.sort === sort;
    // Clicking the sorted column turns its order; another column starts at its natural order.
    const order = active ? (query.order === "asc" ? "desc" : "asc") : undefined;
    const sorted = toServiceListSearch({ ...query, page: 1, sort, order: order ?? defaultOrder(sort) });
    const href = `/services${sorted ? `?${sorted}` : ""}`;
    return (
      <Link
        href={href}
        scroll={false}
        aria-label={`Sort by ${label}${active ? (query.order === "asc" ? ", sorted ascending" : ", sorted descending") : ""}`}
        className="inline-flex items-center gap-1 hover:underline"
      >
        {label}
        {active && <span aria-hidden>{query.order === "asc" ? "▲" : "▼"}</span>}
      </Link>
    );
  };

  return (
    <>
      <PageHeader title="Services" description={`${data.total} services${filtered ? " match" : " in the catalog"}`} action={<LiveIndicator live={live} />} />
      {problem && <FormError message={`This link's filters were not understood (${problem}); showing all services instead.`} />}
      <Card
        title={
          <form
            role="search"
            className="flex flex-wrap items-center gap-2"
            onSubmit={(event) => {
              event.preventDefault();
              const form = new FormData(event.currentTarget);
              const text = (name: string) => {
                const value = form.get(name);
                return typeof value === "string" ? value.trim() || null : null;
              };
              router.replace(link({ q: text("q"), tag: text("tag"), source: text("source") }), { scroll: false });
            }}
          >
            <input type="search" name="q" defaultValue={query.q ?? ""} placeholder="Search by name" aria-label="Search services" className={`${field} w-48`} />
            <input name="tag" defaultValue={query.tag ?? ""} placeholder="Tag" aria-label="Filter by tag" className={`${field} w-28`} />
            <input name="source" defaultValue={query.source ?? ""} placeholder="Source" aria-label="Filter by source" className={`${field} w-28`} />
            <select
              aria-label="Filter by status"
              disabled={!hydrated}
              className={field}
              value={query.status ?? ""}
              onChange={(event) => setFilter("status", event.target.value)}
            >
              <option value="">Any status</option>
              {serviceStatuses.map((status) => (
                <option key={status} value={status}>
                  {status}
                </option>
              ))}
            </select>
            <button type="submit" className={`${field} font-medium hover:bg-zinc-50 dark:hover:bg-zinc-900`}>
              Apply
            </button>
          </form>
        }
      >
        <Table
          head={[
            sortHead("Service", "name"),
            sortHead("Status", "status"),
            sortHead("Req/s", "rps"),
            sortHead("Errors", "errors"),
            sortHead("p50", "p50"),
            sortHead("p99", "p99"),
            "Instances passing",
            "Tags",
            "Source",
          ]}
          empty={data.services.length === 0 && (filtered ? <EmptyState>No service matches the filters.</EmptyState> : <RegisterFirstService />)}
        >
          {data.services.map((service) => (
            <ServiceRow key={service.name} service={service} />
          ))}
        </Table>
        <Pager page={data.page} pages={data.pages} to={(n) => link({ page: n > 1 ? String(n) : null })} />
      </Card>
    </>
  );
}

const defaultOrder = (sort: TServiceSort) => (sort === "name" || sort === "status" ? "asc" : "desc");

function ServiceRow({ service }: { service: TServiceRow }) {
  const { signals, sparklines } = service;
  return (
    <tr className="hover:bg-zinc-50 dark:hover:bg-zinc-800/50" data-service={service.name} data-status={service.status} data-p99={signals.p99 ?? ""}>
      <Td>
        {/* One line: a name broken at each hyphen made every row four lines tall; a long one is cut, whole on hover. */}
        <RangeLink
          href={`/services/${encodeURIComponent(service.name)}`}
          title={service.name}
          className="block max-w-40 truncate whitespace-nowrap font-medium hover:underline sm:max-w-72"
        >
          {service.name}
        </RangeLink>
      </Td>
      <Td>
        <StatusBadge status={service.status} reason={service.statusReason} />
      </Td>
      <Td className="whitespace-nowrap tabular-nums">
        <span className="flex items-center gap-2">
          <Sparkline values={sparklines.rps} label={`${service.name} requests per second, last 30 min`} />
          {figure(signals.rps, 1)}
        </span>
      </Td>
      <Td className="whitespace-nowrap tabular-nums">{figure(signals.errorRate === null ? null : signals.errorRate * 100, 2, " %")}</Td>
      <Td className="whitespace-nowrap tabular-nums">{figure(signals.p50, 0, " ms")}</Td>
      <Td className="whitespace-nowrap tabular-nums">
        <span className="flex items-center gap-2">
          <Sparkline values={sparklines.p99} label={`${service.name} p99 latency, last 30 min`} className="text-amber-600 dark:text-amber-400" />
          {figure(signals.p99, 0, " ms")}
        </span>
      </Td>
      <Td className="w-44">
        <HealthBar counts={service.instances} />
      </Td>
      <Td>
        <div className="flex flex-wrap gap-1">
          {service.tags.map((tag) => (
            <Badge key={tag}>{tag}</Badge>
          ))}
        </div>
      </Td>
      <Td>
        <div className="flex flex-wrap gap-1">
          <Badge tone="info">{service.source}</Badge>
          {service.protocols.map((protocol) => (
            <ProtocolBadge key={protocol} protocol={protocol} />
          ))}
        </div>
      </Td>
    </tr>
  );
}
