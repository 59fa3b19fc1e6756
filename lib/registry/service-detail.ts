import "server-only";
import { groupBy } from "@/lib/group-by";
import { enabledWhere, takesTrafficWhere } from "@/lib/catalog/traffic-state";
import { db, type Prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { findOverrides, overrideKey } from "@/lib/governance/overrides";
import { healthStates, type THealth } from "@/lib/health/health";
import { getStaleSources, instanceSelect, toInstanceView, type TInstanceRow } from "./instance-view";
import { encodeInstanceCursor, instancePageSize, isFiltered, type TInstanceCursor, type TInstanceFilter, type TInstancePageQuery } from "./instance-page";
import { instanceWhere } from "./instance-where";

// A service's tags as listed: enough to filter by, never a list that grows with the fleet.
export const maxServiceTags = 50;

type THealthCounts = { total: number } & Record<THealth, number>;

/** Counts by health from `groupBy(["health"])` rows (of one service, or of all). */
function healthCounts(groups: { health: string; _count: { _all: number } }[]): THealthCounts {
  const counts: THealthCounts = { total: 0, passing: 0, warning: 0, critical: 0, unknown: 0 };
  for (const group of groups) {
    counts.total += group._count._all;
    if ((healthStates as readonly string[]).includes(group.health)) counts[group.health as THealth] += group._count._all;
  }
  return counts;
}

// The distinct tag sets of a service are few (instances of one deployment share theirs): their union, sorted and capped.
function unionTags(tagSets: string[][]): string[] {
  return [...new Set(tagSets.flat())].sort().slice(0, maxServiceTags);
}

// The fleet's tag choices: read from at most this many distinct tag sets, at most this many offered, whatever the fleet.
const fleetTagSets = 500;
const fleetTagsShown = 200;

/** Tags the fleet's instances carry, for a filter's choices: a bounded read, sorted and capped. */
export async function listFleetTags(): Promise<string[]> {
  const sets = await db.instance.groupBy({ by: ["tags"], orderBy: { tags: "asc" }, take: fleetTagSets });
  return [...new Set(sets.flatMap((set) => set.tags))].sort().slice(0, fleetTagsShown);
}

export const serviceSummarySelect = { id: true, name: true, source: true, modifyIndex: true } as const;

/** One page of services with their instance counts by health, tags and protocols, counted in SQL (a page's worth of ids). */
export async function summarizeServices(services: { id: string; name: string; source: string; modifyIndex: number }[]) {
  const where = { serviceId: { in: services.map((service) => service.id) } };
  const [byHealth, tagSets, protocolSets] = await Promise.all([
    db.instance.groupBy({ by: ["serviceId", "health"], where, _count: { _all: true } }),
    db.instance.groupBy({ by: ["serviceId", "tags"], where }),
    db.instance.groupBy({ by: ["serviceId", "protocol"], where: { ...where, protocol: { not: "meshdeck" } } }),
  ]);
  const groupsOf = groupBy(byHealth, (group) => group.serviceId);
  const tagsOf = groupBy(tagSets, (group) => group.serviceId);
  const protocolsOf = groupBy(protocolSets, (group) => group.serviceId);
  return services.map((service) => ({
    name: service.name,
    source: service.source,
    modifyIndex: service.modifyIndex,
    instances: healthCounts(groupsOf.get(service.id) ?? []),
    tags: unionTags((tagsOf.get(service.id) ?? []).map((group) => group.tags)),
    // The compat protocols its instances registered through (consul, eureka, nacos): labelled on the Services page.
    protocols: (protocolsOf.get(service.id) ?? []).map((group) => group.protocol).sort(),
  }));
}

export type TServiceSummary = Awaited<ReturnType<typeof summarizeServices>>[number];

/** How many instances of a service are in each state, and how many the filter picks: all counted in SQL. */
async function countInstances(serviceId: string, filter: TInstanceFilter) {
  const [byHealth, drained, overridden, takingTraffic, matching, tagSets] = await Promise.all([
    db.instance.groupBy({ by: ["health"], where: { serviceId }, _count: { _all: true } }),
    db.instance.count({ where: { serviceId, ...enabledWhere(false) } }),
    db.instance.count({ where: { serviceId, OR: [{ weightOverride: { not: null } }, { enabledOverride: { not: null } }] } }),
    db.instance.count({ where: { serviceId, ...takesTrafficWhere } }),
    isFiltered(filter) ? db.instance.count({ where: { serviceId, ...instanceWhere(filter) } }) : null,
    db.instance.groupBy({ by: ["tags"], where: { serviceId } }),
  ]);
  const counts = healthCounts(byHealth);
  return { counts: { ...counts, drained, overridden, takingTraffic, matching: matching ?? counts.total }, tags: unionTags(tagSets.map((set) => set.tags)) };
}

// Instance ids are unique per source, so the row id breaks ties between two sources' instances of the same id.
const pageOrder = [{ instanceId: "asc" }, { id: "asc" }] satisfies Prisma.InstanceOrderByWithRelationInput[];

function after(cursor: TInstanceCursor | undefined): Prisma.InstanceWhereInput {
  if (!cursor) return {};
  return { OR: [{ instanceId: { gt: cursor.instanceId } }, { instanceId: cursor.instanceId, id: { gt: cursor.rowId } }] };
}

/** The rows of one page of a service's instances, and where the next page starts (null: this is the last). */
export async function findInstancePage<S extends Prisma.InstanceSelect & { id: true; instanceId: true }>({
  serviceId,
  query,
  select,
}: {
  serviceId: string;
  query: Partial<TInstancePageQuery>;
  select: S;
}) {
  const { limit = instancePageSize, cursor, ...filter } = query;
  const rows = await db.instance.findMany({
    where: { serviceId, AND: [instanceWhere(filter), after(cursor)] },
    orderBy: pageOrder,
    take: limit + 1,
    select,
  });
  const page = rows.slice(0, limit);
  // The select holds both, whatever else it holds; TypeScript cannot see through Prisma's mapped type.
  const last = page.at(-1) as { id: string; instanceId: string } | undefined;
  return { rows: page, nextCursor: rows.length > limit && last ? encodeInstanceCursor({ instanceId: last.instanceId, rowId: last.id }) : null };
}

type TOverrideOf = Awaited<ReturnType<typeof findOverrides>>;

// What the API and the service page show of an instance: its view, how stale its source is, and the operator's last change.
function toDetailInstance(row: TInstanceRow, overrides: TOverrideOf, stale: Map<string, string>) {
  const override = overrides.get(overrideKey(row));
  return {
    ...toInstanceView(row),
    // Its source does not answer: this is the last state Meshdeck saw, since then.
    staleSince: stale.get(row.source) ?? null,
    // The operator's last change: its version is what a change from this page must still find (else a conflict).
    override: {
      version: override?.version ?? 0,
      expiresAt: override?.expiresAt?.toISOString() ?? null,
      revert: override?.revert ?? null,
      reason: override?.reason ?? null,
      by: override?.updatedBy ?? null,
      at: override?.updatedAt.toISOString() ?? null,
    },
  };
}

/** An instance of the built-in registry as it was just written, as getInstance would show it: a built-in one is never stale. */
export function registeredInstanceView(row: TInstanceRow, override: TOverrideOf extends Map<string, infer R> ? R | undefined : never) {
  return toDetailInstance(row, new Map(override ? [[overrideKey(row), override]] : []), new Map());
}

const serviceSelect = {
  id: true,
  name: true,
  source: true,
  modifyIndex: true,
  createdAt: true,
  policy: true,
  hashHeader: true,
  protectionThreshold: true,
  governanceVersion: true,
} as const;

/** Whether a service of this name is in the catalog: one indexed read, for a page to answer 404 before it streams. */
export async function hasService({ name }: { name: string }): Promise<boolean> {
  return (await db.service.findUnique({ where: { name }, select: { id: true } })) !== null;
}

/**
 * One service with its counts (by health, drained, overridden, taking traffic, matching the filter) and one page of
 * its instances in instanceId order: bounded whatever the size of the service.
 */
export async function getServiceOrThrow({ name, query = {} }: { name: string; query?: Partial<TInstancePageQuery> }) {
  const service = await db.service.findUnique({ where: { name }, select: serviceSelect });
  if (!service) throw new AppError("not_found", `service '${name}' is not registered`, "name");
  const { limit, cursor, ...filter } = query;
  const [{ counts, tags }, page, stale] = await Promise.all([
    countInstances(service.id, filter),
    findInstancePage({ serviceId: service.id, query: { limit, cursor, ...filter }, select: instanceSelect }),
    getStaleSources(),
  ]);
  const overrides = await findOverrides(db, page.rows);
  const { id: _id, ...shown } = service;
  return {
    service: { ...shown, createdAt: service.createdAt.toISOString(), counts, tags },
    instances: page.rows.map((row) => toDetailInstance(row, overrides, stale)),
    nextCursor: page.nextCursor,
  };
}

export type TServiceDetail = Awaited<ReturnType<typeof getServiceOrThrow>>;
export type TServiceInstance = TServiceDetail["instances"][number];

/** One instance as the service page shows it; null when the source holds no such instance. */
export async function getInstance({ source = "builtin", instanceId }: { source?: string; instanceId: string }) {
  const row = await db.instance.findUnique({ where: { source_instanceId: { source, instanceId } }, select: instanceSelect });
  if (!row) return null;
  const [overrides, stale] = await Promise.all([findOverrides(db, [row]), getStaleSources()]);
  return toDetailInstance(row, overrides, stale);
}

/** The dashboard's front page: services, instances by health and drained, counted in SQL, and the latest health events. */
export async function getOverview() {
  const [services, byHealth, drained, recentEvents] = await Promise.all([
    db.service.count(),
    db.instance.groupBy({ by: ["health"], _count: { _all: true } }),
    db.instance.count({ where: enabledWhere(false) }),
    db.healthEvent.findMany({ orderBy: { at: "desc" }, take: 8 }),
  ]);
  return {
    services,
    instances: healthCounts(byHealth),
    drained,
    recentEvents: recentEvents.map((event) => ({ ...event, at: event.at.toISOString() })),
  };
}

export type TOverview = Awaited<ReturnType<typeof getOverview>>;
