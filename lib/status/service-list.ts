import "server-only";
import { db, type Prisma } from "@/lib/db";
import { instanceWhere, containing } from "@/lib/registry/instance-where";
import { serviceSummarySelect, summarizeServices } from "@/lib/registry/service-detail";
import { serviceStatuses, type TServiceStatus } from "./objectives";
import type { TServiceListQuery, TServiceSort } from "./service-list-query";

/** Sparklines cover this long, one point a minute (the 1 min rollups): 30 points a service at most. */
export const sparklineMs = 30 * 60_000;

type TOrder = "asc" | "desc";
// Unmeasured services (no rollups: null signals) go last whichever way a signal is sorted.
const bySignal = (column: "rps" | "errorRate" | "p50Ms" | "p99Ms", order: TOrder): Prisma.ServiceOrderByWithRelationInput => ({
  status: { [column]: { sort: order, nulls: "last" } },
});
const orderOf: Record<TServiceSort, (order: TOrder) => Prisma.ServiceOrderByWithRelationInput[]> = {
  status: (order) => [{ status: { rank: order } }, { status: { errorRate: { sort: "desc", nulls: "last" } } }, { name: "asc" }],
  name: (order) => [{ name: order }],
  rps: (order) => [bySignal("rps", order), { name: "asc" }],
  errors: (order) => [bySignal("errorRate", order), { name: "asc" }],
  p50: (order) => [bySignal("p50Ms", order), { name: "asc" }],
  p99: (order) => [bySignal("p99Ms", order), { name: "asc" }],
};

function serviceWhere({ q, status, tag, source }: TServiceListQuery): Prisma.ServiceWhereInput {
  return {
    AND: [
      q === undefined ? {} : { name: containing(q) },
      // A service the collector has not judged yet counts as idle.
      status === undefined ? {} : status === "idle" ? { OR: [{ status: { is: { status } } }, { status: { is: null } }] } : { status: { is: { status } } },
      tag === undefined ? {} : { instances: { some: instanceWhere({ tag }) } },
      source === undefined ? {} : { source },
    ],
  };
}

const asStatus = (text: string | undefined): TServiceStatus =>
  (serviceStatuses as readonly string[]).includes(text ?? "") ? (text as TServiceStatus) : "idle";

/** A page of one minute's rps and p99 per service, oldest first, from the 1 min service rollups: bounded by the page. */
async function readSparklines({ names, now }: { names: string[]; now: number }) {
  const rows = await db.metricRollup.findMany({
    where: { resolution: 60, scope: "service", service: { in: names }, at: { gte: new Date(now - sparklineMs) } },
    orderBy: { at: "asc" },
    select: { service: true, at: true, requests: true, p99Ms: true },
  });
  const lines = new Map<string, { rps: number[]; p99: (number | null)[] }>();
  for (const row of rows) {
    let line = lines.get(row.service);
    if (!line) lines.set(row.service, (line = { rps: [], p99: [] }));
    line.rps.push(row.requests / 60);
    line.p99.push(row.p99Ms);
  }
  return lines;
}

/**
 * One page of services, filtered, searched and sorted in SQL, each with its status, golden signals and sparklines:
 * a few statements whatever the fleet, and a payload bounded by the page's size.
 */
export async function listServicePage({ query, now = Date.now() }: { query: TServiceListQuery; now?: number }) {
  const where = serviceWhere(query);
  const [total, services] = await Promise.all([
    db.service.count({ where }),
    db.service.findMany({
      where,
      orderBy: orderOf[query.sort](query.order),
      skip: (query.page - 1) * query.limit,
      take: query.limit,
      select: {
        ...serviceSummarySelect,
        status: { select: { status: true, since: true, reason: true, rps: true, errorRate: true, p50Ms: true, p99Ms: true } },
      },
    }),
  ]);
  const [summaries, sparklines] = await Promise.all([summarizeServices(services), readSparklines({ names: services.map((service) => service.name), now })]);
  return {
    total,
    page: query.page,
    pages: Math.max(1, Math.ceil(total / query.limit)),
    services: summaries.map((summary, i) => {
      const status = services[i]!.status;
      return {
        ...summary,
        status: asStatus(status?.status),
        statusSince: status?.since.toISOString() ?? null,
        statusReason: status?.reason ?? "not judged yet",
        signals: { rps: status?.rps ?? null, errorRate: status?.errorRate ?? null, p50: status?.p50Ms ?? null, p99: status?.p99Ms ?? null },
        sparklines: sparklines.get(summary.name) ?? { rps: [], p99: [] },
      };
    }),
  };
}
/** Only the names of a page of services, filtered and searched in SQL: what a service picker lists. */
export async function listServiceNames({ query }: { query: TServiceListQuery }) {
  const where = serviceWhere(query);
  const [total, services] = await Promise.all([
    db.service.count({ where }),
    db.service.findMany({ where, orderBy: orderOf[query.sort](query.order), skip: (query.page - 1) * query.limit, take: query.limit, select: { name: true } }),
  ]);
  return { total, names: services.map((service) => service.name) };
}
export type TServiceNames = Awaited<ReturnType<typeof listServiceNames>>;

export type TServicePage = Awaited<ReturnType<typeof listServicePage>>;
export type TServiceRow = TServicePage["services"][number];
