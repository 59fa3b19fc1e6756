import "server-only";
import { db, type Prisma } from "@/lib/db";
import { encodeCursor, newestFirst, olderThan, pageSize, type TCursor } from "@/lib/pagination/cursor";
import type { TAuditFilters } from "./audit-filters";

/** The filters as a where clause; `user` is an actor's name or id. */
export function auditWhere(filters: TAuditFilters): Prisma.AuditEventWhereInput {
  const { user, service, action, from, to } = filters;
  const and: Prisma.AuditEventWhereInput[] = [];
  if (user) and.push({ OR: [{ actorName: user }, { actorId: user }] });
  if (service) and.push({ service });
  if (action) and.push({ action: action.prefix ? { startsWith: action.value } : action.value });
  if (from || to) and.push({ at: { ...(from ? { gte: from } : {}), ...(to ? { lte: to } : {}) } });
  return { AND: and };
}

/** Audit events matching the filters, newest first, a page at a time. */
export async function listAuditEvents({ filters, cursor, limit = pageSize }: { filters: TAuditFilters; cursor?: TCursor; limit?: number }) {
  const rows = await db.auditEvent.findMany({
    where: { AND: [auditWhere(filters), olderThan(cursor)] },
    orderBy: newestFirst,
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  // The role a user has now: the event does not record it, and a badge helps to read who acted.
  const userIds = [...new Set(page.filter((row) => row.actorType === "user" && row.actorId).map((row) => row.actorId as string))];
  const users = userIds.length ? await db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, role: true } }) : [];
  const roles = new Map(users.map((user) => [user.id, user.role]));
  return {
    events: page.map((row) => ({
      id: row.id,
      at: row.at.toISOString(),
      actor: {
        type: row.actorType,
        id: row.actorId,
        name: row.actorName,
        role: roles.get(row.actorId ?? "") ?? null,
      },
      action: row.action,
      service: row.service,
      target: row.target,
      before: row.before,
      after: row.after,
      reason: row.reason,
    })),
    nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
  };
}

export type TAuditPage = Awaited<ReturnType<typeof listAuditEvents>>;
export type TAuditEventView = TAuditPage["events"][number];

/**
 * What the filter dropdowns offer: the actions and actors the log holds (services are searched). Each is a
 * grouped scan of the table, read once per page load (not on the live poll).
 */
// Actors the filter offers at most.
export const actorOptionsLimit = 100;

export async function listAuditFacets() {
  // No list of services: those are as many as the fleet's, and the page searches them as the user types.
  const [actions, actors] = await Promise.all([
    db.auditEvent.groupBy({ by: ["action"], orderBy: { action: "asc" } }),
    // The most recently active actors only: one token per service is as many as the fleet's. Any other is still
    // filtered by its id in the URL, which the page keeps as an option.
    db.auditEvent.groupBy({ by: ["actorType", "actorId", "actorName"], _max: { at: true }, orderBy: { _max: { at: "desc" } }, take: actorOptionsLimit }),
  ]);
  actors.sort((a, b) => a.actorName.localeCompare(b.actorName));
  const seen = new Set<string>();
  const actorOptions = actors.flatMap(({ actorType, actorId, actorName }) => {
    // A user or token is chosen by id (names need not be unique); a system actor has only its name.
    const value = actorId ?? actorName;
    if (seen.has(value)) return [];
    seen.add(value);
    return [{ value, name: actorName, type: actorType }];
  });
  return {
    actions: actions.map((row) => row.action),
    actors: actorOptions,
  };
}

export type TAuditFacets = Awaited<ReturnType<typeof listAuditFacets>>;
