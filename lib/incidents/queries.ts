import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { listEvents } from "@/lib/health/queries";
import { coveredBy, findSilenced } from "@/lib/notify/silences";
import { encodeCursor, newestFirst, olderThan } from "@/lib/pagination/cursor";
import { resolveTimeRange } from "@/lib/time/range";
import type { TEventKind } from "@/lib/health/event-filters";
import { isRecurring, type TIncidentCause } from "./group-events";
import type { TIncidentFilters } from "./incident-filters";

const incidentSelect = {
  id: true,
  cause: true,
  service: true,
  instanceId: true,
  startedAt: true,
  at: true,
  endedAt: true,
  ending: true,
  count: true,
  times: true,
  reason: true,
} as const;
type TIncidentRow = Awaited<ReturnType<typeof db.incident.findMany<{ select: typeof incidentSelect }>>>[number];

function toView(row: TIncidentRow, silenced: boolean) {
  return {
    ...row,
    startedAt: row.startedAt.toISOString(),
    at: row.at.toISOString(),
    endedAt: row.endedAt?.toISOString() ?? null,
    times: row.times.map((time) => new Date(time).toISOString()),
    recurring: isRecurring(row),
    // Notifications about it are held by an operator's silence in force now; it still shows.
    silenced,
  };
}
export type TIncidentView = ReturnType<typeof toView>;

/** Incidents, the most recently active first, filtered in SQL and paged by cursor; each marked when silenced. */
export async function listIncidents({ filters, now = new Date() }: { filters: TIncidentFilters; now?: Date }) {
  const { service, cause, state, range, before, limit } = filters;
  const window = range ? resolveTimeRange(range, now.getTime()) : null;
  const rows = await db.incident.findMany({
    where: {
      ...(service ? { service } : {}),
      ...(cause ? { cause } : {}),
      ...(state ? { endedAt: state === "open" ? null : { not: null } } : {}),
      // Active at some time in the window: last active after it began, started before it ended.
      ...(window ? { at: { gte: new Date(window.from) }, startedAt: { lte: new Date(window.to) } } : {}),
      ...olderThan(before),
    },
    orderBy: [...newestFirst],
    take: limit + 1,
    select: incidentSelect,
  });
  const page = rows.slice(0, limit);
  const silenced = await findSilenced({ services: page.map((row) => row.service), now });
  const last = page.at(-1);
  return {
    incidents: page.map((row) => toView(row, coveredBy(silenced, row))),
    nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
  };
}
export type TIncidentPage = Awaited<ReturnType<typeof listIncidents>>;

// The event kinds each cause groups.
const kindsOf: Record<TIncidentCause, TEventKind[]> = {
  failover: ["failover", "recovery"],
  outage: ["outage", "outage-end", "retired"],
  maintenance: ["maintenance"],
  // Flapping is health changing too often: its health changes are its events.
  flapping: ["flapping", "health"],
};

/** One incident with its events (the newest page of them, health changes of its instance included). */
export async function getIncident({ id, now = new Date() }: { id: string; now?: Date }) {
  const row = await db.incident.findUnique({ where: { id }, select: incidentSelect });
  if (!row) throw new AppError("not_found", "no such incident", "id");
  const silenced = await findSilenced({ services: [row.service], now });
  const until = row.endedAt ?? now;
  // Its events: those of its cause, of its service (and instance), between its start and its end; a failure's health changes too.
  const events = await listEvents({
    filters: {
      service: row.service,
      kind: [...kindsOf[row.cause], ...(row.instanceId && row.cause === "failover" ? (["health"] as const) : [])],
      range: null,
      limit: 100,
    },
    instanceId: row.instanceId,
    between: { from: row.startedAt, to: until },
  });
  return { incident: toView(row, coveredBy(silenced, row)), events: events.events, moreEvents: events.nextCursor !== null };
}
export type TIncidentDetail = Awaited<ReturnType<typeof getIncident>>;
