import "server-only";
import { db, type Prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { encodeCursor, newestFirst, olderThan } from "@/lib/pagination/cursor";
import { eventKinds, failoverKinds, type TEventFilters, type TEventKind } from "./event-filters";
import type { TInstancePageQuery } from "@/lib/registry/instance-page";
import { findInstancePage } from "@/lib/registry/service-detail";
import { coveredBy, findSilenced } from "@/lib/notify/silences";
import { resolveTimeRange, type TTimeRange } from "@/lib/time/range";
import { buildBands, computeUptime, timelineEventCap } from "./timeline";

type TFailoverRow = Awaited<ReturnType<typeof db.failoverEvent.findMany>>[number];
type THealthRow = Awaited<ReturnType<typeof db.healthEvent.findMany>>[number];

function fromFailover(row: TFailoverRow) {
  return {
    id: row.id,
    kind: row.kind as TEventKind,
    service: row.service,
    instanceId: row.instanceId,
    from: null as string | null,
    to: null as string | null,
    reason: row.reason,
    detectionMs: row.detectionMs,
    takeover: row.takeover,
    takeoverMore: row.takeoverMore,
    // Instances that left and joined the set taking traffic: more than one is a mass change told once.
    leftCount: row.leftCount,
    joinedCount: row.joinedCount,
    at: row.at,
  };
}

function fromHealth(row: THealthRow): ReturnType<typeof fromFailover> {
  const kind: TEventKind = row.to === "flapping" ? "flapping" : "health";
  return {
    id: row.id,
    kind,
    service: row.service,
    instanceId: row.instanceId,
    from: row.from,
    to: row.to,
    reason: row.reason,
    detectionMs: row.detectionMs,
    takeover: [],
    takeoverMore: 0,
    leftCount: 0,
    joinedCount: 0,
    at: row.at,
  };
}

/**
 * Failover, outage, maintenance, flapping and health events in one list, newest first, a page at a time. An incident
 * reads its own: one instance's (or, null, the service's own) between two times.
 */
export async function listEvents({
  filters,
  now = new Date(),
  instanceId,
  between,
}: {
  filters: TEventFilters;
  now?: Date;
  instanceId?: string | null;
  between?: { from: Date; to: Date };
}) {
  const kinds = new Set<TEventKind>(filters.kind ?? eventKinds);
  const { limit, before, service } = filters;
  const window = filters.range ? resolveTimeRange(filters.range, now.getTime()) : null;
  const at = between ? { gte: between.from, lte: between.to } : window ? { gte: new Date(window.from), lte: new Date(window.to) } : undefined;
  const common = { ...(service ? { service } : {}), ...(at ? { at } : {}), ...(instanceId ? { instanceId } : {}), ...olderThan(before) };
  // A service's own events name no instance; health events always name one.
  const failoverCommon = instanceId === null ? { ...common, instanceId: null } : common;

  const failover = failoverKinds.filter((kind) => kinds.has(kind));
  const healthTo: Prisma.StringFilter | undefined =
    kinds.has("health") && kinds.has("flapping") ? undefined : kinds.has("health") ? { not: "flapping" } : { equals: "flapping" };
  const wantsHealth = kinds.has("health") || kinds.has("flapping");

  const [failoverRows, healthRows] = await Promise.all([
    failover.length ? db.failoverEvent.findMany({ where: { ...failoverCommon, kind: { in: failover } }, orderBy: [...newestFirst], take: limit + 1 }) : [],
    wantsHealth && instanceId !== null
      ? db.healthEvent.findMany({ where: { ...common, ...(healthTo ? { to: healthTo } : {}) }, orderBy: [...newestFirst], take: limit + 1 })
      : [],
  ]);
  const merged = [...failoverRows.map(fromFailover), ...healthRows.map(fromHealth)].sort(
    (a, b) => b.at.getTime() - a.at.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
  );
  const page = merged.slice(0, limit);
  const last = page.at(-1);
  // Marked when an operator's silence holds its notifications now: it still shows.
  const silenced = await findSilenced({ services: page.map((event) => event.service), now });
  return {
    events: page.map((event) => ({ ...event, at: event.at.toISOString(), silenced: coveredBy(silenced, event) })),
    nextCursor: merged.length > limit && last ? encodeCursor(last) : null,
  };
}

export type TEventPage = Awaited<ReturnType<typeof listEvents>>;
export type TEventView = TEventPage["events"][number];

const historySelect = {
  id: true,
  instanceId: true,
  source: true,
  health: true,
  registeredAt: true,
  lastCheckAt: true,
  lastSuccessAt: true,
  flapping: true,
} as const;

/**
 * Each instance's health bands over the range, its uptime, and what its check last said: for one page of the service's
 * instances, or for the one `instanceId` names (the instance page).
 */
export async function getServiceHealthHistory({
  name,
  range,
  query = {},
  instanceId,
  now = new Date(),
}: {
  name: string;
  range: TTimeRange;
  query?: Partial<TInstancePageQuery>;
  instanceId?: string;
  now?: Date;
}) {
  const service = await db.service.findUnique({ where: { name }, select: { id: true } });
  if (!service) throw new AppError("not_found", `service '${name}' is not registered`, "name");
  const page =
    instanceId === undefined
      ? await findInstancePage({ serviceId: service.id, query, select: historySelect })
      : { rows: await db.instance.findMany({ where: { serviceId: service.id, instanceId }, select: historySelect }) };
  const { preset, from, to } = resolveTimeRange(range, now.getTime());
  const until = new Date(to);

  const instances = await Promise.all(
    page.rows.map(async (instance) => {
      const where = { service: name, source: instance.source, instanceId: instance.instanceId };
      const [previous, newest] = await Promise.all([
        db.healthEvent.findFirst({ where: { ...where, at: { lte: new Date(from) } }, orderBy: [...newestFirst], select: { to: true } }),
        db.healthEvent.findMany({
          where: { ...where, at: { gt: new Date(from), lte: until } },
          orderBy: [...newestFirst],
          take: timelineEventCap + 1,
          select: { at: true, to: true },
        }),
      ]);
      const events = newest.map((event) => ({ at: event.at.getTime(), to: event.to }));
      const truncated = events.length > timelineEventCap;
      // Too many changes: show the newest ones exactly and leave the older part of the range blank.
      const oldest = truncated ? events[timelineEventCap - 1] : undefined;
      const before = oldest?.to ?? previous?.to ?? (instance.registeredAt.getTime() <= from ? instance.health : null);
      const bands = buildBands({ before, events: events.slice(0, timelineEventCap), from: oldest?.at ?? from, to });
      return {
        id: instance.instanceId,
        bands,
        uptime: computeUptime(bands),
        coveredFrom: oldest ? new Date(oldest.at).toISOString() : null,
        flapping: instance.flapping,
        lastCheckAt: instance.lastCheckAt?.toISOString() ?? null,
        lastSuccessAt: instance.lastSuccessAt?.toISOString() ?? null,
      };
    }),
  );
  return { service: name, range: preset, from: new Date(from).toISOString(), to: until.toISOString(), instances };
}

export type THealthHistory = Awaited<ReturnType<typeof getServiceHealthHistory>>;

/** Open outages (an outage with no later outage-end for its service) and the latest failovers. */
/** How many open outages the overview names; the rest it counts. */
export const openOutagesShown = 10;

export async function getEventHighlights({ failovers = 5 }: { failovers?: number } = {}) {
  // An outage is open while it is its service's latest outage or outage-end (newest first, ties by id). Counted and the
  // oldest few read in one statement: a fleet-wide failure is a thousand open outages, told as a number and ten names,
  // not a thousand lookups and a page that long.
  const [open, latest] = await Promise.all([
    db.$queryRaw<{ id: string; n: number | bigint }[]>`SELECT e.id, COUNT(*) OVER () AS n FROM "FailoverEvent" e
      WHERE e.kind = 'outage' AND NOT EXISTS (SELECT 1 FROM "FailoverEvent" l WHERE l.service = e.service
        AND l.kind IN ('outage', 'outage-end') AND (l.at > e.at OR (l.at = e.at AND l.id > e.id)))
      ORDER BY e.at ASC, e.id ASC LIMIT ${openOutagesShown}`,
    db.failoverEvent.findMany({ where: { kind: "failover" }, orderBy: [...newestFirst], take: failovers }),
  ]);
  const rows = await db.failoverEvent.findMany({ where: { id: { in: open.map((row) => row.id) } }, orderBy: [{ at: "asc" }, { id: "asc" }] });
  return {
    openOutages: rows.map((row) => ({ id: row.id, service: row.service, since: row.at.toISOString(), reason: row.reason })),
    openOutageCount: Number(open[0]?.n ?? 0),
    latestFailovers: latest.map((row) => ({ ...fromFailover(row), at: row.at.toISOString() })),
  };
}

export type TEventHighlights = Awaited<ReturnType<typeof getEventHighlights>>;
