import "server-only";
import type { Tx } from "@/lib/db";
import { chunked, valuesList } from "@/lib/db/bulk";
import { retryOnDeadlock } from "@/lib/db/transaction";
import type { THealth } from "@/lib/health/health";
import { bumpServiceIndexes } from "./catalog-index";
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

const dueSelect = {
  ...trafficSelect,
  id: true,
  instanceId: true,
  source: true,
  checkKind: true,
  lastHeartbeatAt: true,
  service: { select: { id: true, name: true } },
} as const;

const readRows = (tx: Tx, ids: string[]) => tx.instance.findMany({ where: { id: { in: ids } }, select: dueSelect });
type TDue = { wanted: TInstanceHealthChange; row: Awaited<ReturnType<typeof readRows>>[number] };

/**
 * Moves instances to new health and writes their health events, in one catalog change (one transaction, one
 * index bump) however many there are. Each change happens once: an instance already there, or whose guard no
 * longer holds in the database, is left alone. Answers the ids that changed.
 */
export async function setInstancesHealth(wanted: TInstanceHealthChange[]): Promise<Set<string>> {
  // One change per instance: the first asked for; in id order, the one order every writer of Instance rows takes them in.
  const first = new Map<string, TInstanceHealthChange>();
  for (const change of wanted) if (!first.has(change.id)) first.set(change.id, change);
  const changes = [...first.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (changes.length === 0) return new Set();
  return retryOnDeadlock(() =>
    catalogChange(async (tx, change) => {
      // Every read before the first write: the catalog counter, which every catalog change locks first, is held
      // only for the writes (on PostgreSQL, three collectors' batches queue on it).
      const due: TDue[] = [];
      for (const part of chunked(changes, chunkSize)) {
        const rows = await readRows(
          tx,
          part.map(({ id }) => id),
        );
        const byId = new Map(rows.map((row) => [row.id, row]));
        for (const wanted of part) {
          const row = byId.get(wanted.id);
          if (!row || row.health === wanted.to || wanted.unless?.()) continue;
          const { heartbeatBefore } = wanted;
          if (heartbeatBefore && (row.checkKind !== "ttl" || (row.lastHeartbeatAt !== null && row.lastHeartbeatAt >= heartbeatBefore))) continue;
          due.push({ wanted, row });
        }
      }
      if (due.length === 0) return new Set<string>();
      const index = await change.index();
      const now = new Date();
      const applied: TDue[] = [];
      for (const part of chunked(due, chunkSize)) {
        // The guards once more in the update itself: another process may have written a beat or a change since the read.
        const updated = await tx.$queryRawUnsafe<{ id: string }[]>(
          `UPDATE "Instance" SET "health" = v.column3, "healthOutput" = v.column4, "healthChangedAt" = v.column6, "modifyIndex" = v.column7
         FROM (VALUES ${valuesList({ rows: part.length, columns: 7, casts: ["text", "text", "text", "text", "timestamp(3)", "timestamp(3)", "integer"] })}) AS v
         WHERE "Instance"."id" = v.column1 AND "Instance"."health" = v.column2
           AND (v.column5 IS NULL OR ("Instance"."checkKind" = 'ttl' AND ("Instance"."lastHeartbeatAt" IS NULL OR "Instance"."lastHeartbeatAt" < v.column5)))
         RETURNING "Instance"."id" AS "id"`,
          ...part.flatMap(({ wanted, row }) => [wanted.id, row.health, wanted.to, wanted.reason, wanted.heartbeatBefore ?? null, now, index]),
        );
        const done = new Set(updated.map(({ id }) => id));
        applied.push(...part.filter(({ wanted }) => done.has(wanted.id)));
      }
      if (applied.length === 0) return new Set<string>();
      for (const part of chunked(applied, chunkSize))
        await tx.healthEvent.createMany({
          data: part.map(({ wanted, row }) => ({
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
      // Services last and in id order, one statement each few hundred: rows shared with every other writer, held shortest.
      const services = new Map(applied.map(({ row }) => [row.service.id, row.service.name]));
      await bumpServiceIndexes(tx, { ids: [...services.keys()], index });
      for (const name of services.values()) change.touched(name);
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
      }
      return new Set(applied.map(({ wanted }) => wanted.id));
    }),
  );
}

/** Moves one instance to `to` and writes the health event, once (see setInstancesHealth). */
export async function setInstanceHealth(change: TInstanceHealthChange): Promise<boolean> {
  return (await setInstancesHealth([change])).has(change.id);
}
