import "server-only";
import { z } from "zod";
import { db } from "@/lib/db";
import { encodeCursor, newestFirst, olderThan, ZCursor, ZPageLimit } from "@/lib/pagination/cursor";
import { parseSearch, type TSearchParams } from "@/lib/pagination/search-params";
import { coveredBy, findSilenced } from "@/lib/notify/silences";
import { ZServiceName } from "@/lib/registry/schemas";
import { alertStateSelect } from "./alert-selects";

/** Query parameters of GET /api/v1/alerts. */
export const ZAlertFilters = z.strictObject({ service: ZServiceName.optional(), before: ZCursor.optional(), limit: ZPageLimit });
export type TAlertFilters = z.output<typeof ZAlertFilters>;

export function parseAlertFilters(search: URLSearchParams | TSearchParams): TAlertFilters {
  return parseSearch(ZAlertFilters, search);
}

// Alerts pending or firing shown at once: a fleet-wide outage is counted past this, not listed.
export const activeShown = 200;

/** The alerts pending or firing now (the newest changes first, at most activeShown), with how many there are. */
export async function listActiveAlerts({ service, now = new Date() }: { service?: string; now?: Date } = {}) {
  const where = { state: { in: ["pending", "firing"] }, ...(service ? { service } : {}) };
  const [rows, total] = await Promise.all([
    db.alertState.findMany({
      where,
      orderBy: [{ changedAt: "desc" }, { service: "asc" }],
      take: activeShown,
      select: alertStateSelect,
    }),
    db.alertState.count({ where }),
  ]);
  const silenced = await findSilenced({ services: rows.map((row) => row.service), now });
  const alerts = rows.map((row) => ({
    ruleId: row.ruleId,
    rule: row.rule.name,
    kind: row.rule.kind,
    severity: row.rule.severity,
    service: row.service,
    state: row.state,
    activeAt: row.activeAt.toISOString(),
    changedAt: row.changedAt.toISOString(),
    value: row.value,
    silenced: coveredBy(silenced, { service: row.service, instanceId: null }),
  }));
  return { alerts, total };
}
export type TActiveAlert = Awaited<ReturnType<typeof listActiveAlerts>>["alerts"][number];

/** Changes of alert state, newest first, paged by cursor. */
export async function listAlertHistory({ filters }: { filters: TAlertFilters }) {
  const { service, before, limit } = filters;
  const rows = await db.alertEvent.findMany({
    where: { ...(service ? { service } : {}), ...olderThan(before) },
    orderBy: [...newestFirst],
    take: limit + 1,
    select: { id: true, at: true, ruleId: true, rule: true, service: true, severity: true, from: true, to: true, value: true, summary: true },
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    history: page.map((row) => ({ ...row, at: row.at.toISOString() })),
    nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
  };
}
export type TAlertChange = Awaited<ReturnType<typeof listAlertHistory>>["history"][number];
