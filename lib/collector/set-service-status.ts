import "server-only";
import { randomUUID } from "node:crypto";
import { enabledWhere } from "@/lib/catalog/traffic-state";
import { db } from "@/lib/db";
import { insertRows } from "@/lib/db/bulk";
import { goldenSignals, readWindowSignals } from "@/lib/metrics/topology/topology-query-window";
import { computeStatus } from "@/lib/status/compute-status";
import { objectivesOf } from "@/lib/status/objectives";

/** The signals a status is judged on: the last 5 minutes of the service's rollups and probes. */
export const statusWindowMs = 5 * 60_000;

const upsertColumns = ["status", "rank", "since", "reason", "rps", "errorRate", "p50Ms", "p99Ms", "availability", "at"];
const onConflict = `ON CONFLICT ("serviceId") DO UPDATE SET ${upsertColumns.map((column) => `"${column}" = excluded."${column}"`).join(", ")}`;

// One count per service from groupBy rows.
function countsBy<T extends { serviceId: string; _count: { _all: number } }>(rows: T[]) {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.serviceId, (counts.get(row.serviceId) ?? 0) + row._count._all);
  return counts;
}

/**
 * Computes every service's status from its instances, open outages, golden signals and probes, set-based: a fixed
 * number of grouped reads whatever the fleet, one upsert per few thousand services, a history row per change only.
 */
export async function setServiceStatus({ now = Date.now(), retainMs }: { now?: number; retainMs: Record<number, number> }) {
  const since = new Date(now - statusWindowMs);
  const [services, all, enabled, critical, outages, window, probes] = await Promise.all([
    db.service.findMany({
      select: {
        id: true,
        name: true,
        errorRateObjective: true,
        p99ObjectiveMs: true,
        availabilityObjective: true,
        status: { select: { status: true, since: true } },
      },
    }),
    db.instance.groupBy({ by: ["serviceId"], _count: { _all: true } }),
    db.instance.groupBy({ by: ["serviceId"], where: enabledWhere(true), _count: { _all: true } }),
    db.instance.groupBy({ by: ["serviceId"], where: { AND: [enabledWhere(true), { health: "critical" }] }, _count: { _all: true } }),
    db.incident.findMany({ where: { cause: "outage", instanceId: null, endedAt: null }, select: { service: true }, distinct: ["service"] }),
    readWindowSignals({ at: now, windowMs: statusWindowMs, now, retainMs, withEdges: false }),
    db.probeRollup.groupBy({ by: ["service"], where: { minute: { gte: since } }, _sum: { checks: true, failures: true } }),
  ]);
  const [totals, enabledCounts, criticalCounts] = [countsBy(all), countsBy(enabled), countsBy(critical)];
  const outageOf = new Set(outages.map((outage) => outage.service));
  const availabilityOf = new Map(probes.map(({ service, _sum }) => [service, _sum.checks ? 1 - (_sum.failures ?? 0) / _sum.checks : null] as const));
  const at = new Date(now);
  const rows: Record<string, unknown>[] = [];
  const changes: Record<string, unknown>[] = [];
  for (const service of services) {
    const signals = goldenSignals(window.services.get(service.name), window.window.measuredMs);
    const availability = availabilityOf.get(service.name) ?? null;
    const { status, rank, reason } = computeStatus({
      objectives: objectivesOf(service),
      instances: { total: totals.get(service.id) ?? 0, enabled: enabledCounts.get(service.id) ?? 0, critical: criticalCounts.get(service.id) ?? 0 },
      outage: outageOf.has(service.name),
      signals,
      availability,
    });
    const previous = service.status;
    // A service's first status is a change only when it is not idle (new and not yet measured).
    if (previous ? previous.status !== status : status !== "idle")
      changes.push({ id: randomUUID(), service: service.name, from: previous?.status ?? "idle", to: status, reason, at });
    rows.push({
      serviceId: service.id,
      status,
      rank,
      since: previous?.status === status ? previous.since : at,
      reason,
      rps: signals.rps,
      errorRate: signals.errorRate,
      p50Ms: signals.p50,
      p99Ms: signals.p99,
      availability,
      at,
    });
  }
  // A service deleted since the read fails the upsert (its foreign key): the whole round is tried again at the next turn.
  await db.$transaction(async (tx) => {
    await insertRows(tx, { table: "ServiceStatus", rows, onConflict });
    await insertRows(tx, { table: "ServiceStatusChange", rows: changes });
  });
  return { services: rows.length, changed: changes.length };
}

/** Deletes status history older than the retention. */
export async function deleteOldStatusChanges({ retentionDays, now = Date.now() }: { retentionDays: number; now?: number }) {
  const { count } = await db.serviceStatusChange.deleteMany({ where: { at: { lt: new Date(now - retentionDays * 86_400_000) } } });
  return count;
}
