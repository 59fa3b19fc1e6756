import "server-only";
import { valuesList } from "@/lib/db/bulk";
import { retryOnDeadlock } from "@/lib/db/transaction";
import type { THealth } from "@/lib/health/health";
import { catalogChange } from "./catalog-change";
import { trafficSelect, trafficState } from "./traffic-state";

export type TInstanceHealthChange = {
  /** The Instance row's id. */
  id: string;
  to: THealth;
  reason: string;
  /** From the last success to this decision, for changes to critical. */
  detectionMs?: number;
  /** A TTL expiry: only a TTL instance whose stored heartbeat is older than this (or missing) changes. */
  heartbeatBefore?: Date;
  /** Looked at again inside the transaction, for what only memory knows (a heartbeat just in). */
  unless?: () => boolean;
};

// Instances read and updated per statement: far under every database's parameter limit.
const chunkSize = 200;

/**
 * Moves instances to new health and writes their health events, in one catalog change (one transaction, one
 * index bump) however many there are. Each change happens once: an instance already there, or whose guard no
 * longer holds in the database, is left alone. Answers the ids that changed.
 */
export async function setInstancesHealth(wanted: TInstanceHealthChange[]): Promise<Set<string>> {
  // One change per instance: the first asked for.
  const first = new Map<string, TInstanceHealthChange>();
  for (const change of wanted) if (!first.has(change.id)) first.set(change.id, change);
  const changes = [...first.values()];
  if (changes.length === 0) return new Set();
  return retryOnDeadlock(() =>
    catalogChange(async (tx, change) => {
      const changed = new Set<string>();
      for (let i = 0; i < changes.length; i += chunkSize) {
        const chunk = changes.slice(i, i + chunkSize);
        const rows = await tx.instance.findMany({
          where: { id: { in: chunk.map(({ id }) => id) } },
          select: {
            ...trafficSelect,
            id: true,
            instanceId: true,
            source: true,
            checkKind: true,
            lastHeartbeatAt: true,
            service: { select: { id: true, name: true } },
          },
        });
        const byId = new Map(rows.map((row) => [row.id, row]));
        const due = chunk.flatMap((wanted) => {
          const row = byId.get(wanted.id);
          if (!row || row.health === wanted.to || wanted.unless?.()) return [];
          const { heartbeatBefore } = wanted;
          if (heartbeatBefore && (row.checkKind !== "ttl" || (row.lastHeartbeatAt !== null && row.lastHeartbeatAt >= heartbeatBefore))) return [];
          return [{ wanted, row }];
        });
        if (due.length === 0) continue;
        const index = await change.index();
        const now = new Date();
        // The guards once more in the update itself: another process may have written a beat or a change since the read.
        // Rows in id order, as the heartbeat flush writes them, so the two lock in one order.
        const updated = await tx.$queryRawUnsafe<{ id: string }[]>(
          `UPDATE "Instance" SET "health" = v.column3, "healthOutput" = v.column4, "healthChangedAt" = v.column6, "modifyIndex" = v.column7
         FROM (VALUES ${valuesList({ rows: due.length, columns: 7, casts: ["text", "text", "text", "text", "timestamp(3)", "timestamp(3)", "integer"] })}) AS v
         WHERE "Instance"."id" = v.column1 AND "Instance"."health" = v.column2
           AND (v.column5 IS NULL OR ("Instance"."checkKind" = 'ttl' AND ("Instance"."lastHeartbeatAt" IS NULL OR "Instance"."lastHeartbeatAt" < v.column5)))
         RETURNING "Instance"."id" AS "id"`,
          ...due
            .toSorted((a, b) => (a.wanted.id < b.wanted.id ? -1 : 1))
            .flatMap(({ wanted, row }) => [wanted.id, row.health, wanted.to, wanted.reason, wanted.heartbeatBefore ?? null, now, index]),
        );
        const done = new Set(updated.map(({ id }) => id));
        const applied = due.filter(({ wanted }) => done.has(wanted.id));
        if (applied.length === 0) continue;
        const services = new Map(applied.map(({ row }) => [row.service.id, row.service.name]));
        await tx.service.updateMany({ where: { id: { in: [...services.keys()] } }, data: { modifyIndex: index } });
        for (const name of services.values()) change.touched(name);
        await tx.healthEvent.createMany({
          data: applied.map(({ wanted, row }) => ({
            service: row.service.name,
            source: row.source,
            instanceId: row.instanceId,
            from: row.health,
            to: wanted.to,
            reason: wanted.reason,
            detectionMs: wanted.detectionMs === undefined ? null : Math.round(wanted.detectionMs),
            at: now,
          })),
        });
        for (const { wanted, row } of applied) {
          const before = trafficState(row);
          await change.traffic({
            serviceId: row.service.id,
            service: row.service.name,
            instanceId: row.instanceId,
            before,
            after: { ...before, health: wanted.to },
            reason: wanted.reason,
            detectionMs: wanted.detectionMs,
            at: now,
          });
          changed.add(wanted.id);
        }
      }
      return changed;
    }),
  );
}

/** Moves one instance to `to` and writes the health event, once (see setInstancesHealth). */
export async function setInstanceHealth(change: TInstanceHealthChange): Promise<boolean> {
  return (await setInstancesHealth([change])).has(change.id);
}
