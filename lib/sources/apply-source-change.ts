import "server-only";
import { randomUUID } from "node:crypto";
import { catalogChangeInSteps, type TCatalogChange } from "@/lib/catalog/catalog-change";
import { trafficSelect, trafficState } from "@/lib/catalog/traffic-state";
import { db, type Tx } from "@/lib/db";
import { chunked, insertRows } from "@/lib/db/bulk";
import { encodeStringList, encodeStringMap } from "@/lib/db/codecs";
import type { TRemoval, TSkip, TSourceChange, TSourceInstance } from "./types";

// Instances written per transaction: thousands commit in short steps (on SQLite every other query waits while a
// transaction is open), and the steps of one change tell one traffic story together.
export const stepSize = 500;

const rowSelect = {
  ...trafficSelect,
  id: true,
  instanceId: true,
  host: true,
  port: true,
  tags: true,
  metadata: true,
  sourceKey: true,
  service: { select: { id: true, name: true } },
} as const;
type TRow = {
  id: string;
  instanceId: string;
  host: string;
  port: number;
  tags: string[];
  metadata: Record<string, string>;
  sourceKey: string | null;
  service: { id: string; name: string };
} & Parameters<typeof trafficState>[0];

/** The columns, as stored, an instance of a source has from its registration; health follows its presence there. */
function columnsOf(instance: Pick<TSourceInstance, "host" | "port" | "weight" | "enabled" | "tags" | "metadata"> & { key?: string | null }) {
  return {
    host: instance.host,
    port: instance.port,
    weight: instance.weight,
    enabled: instance.enabled,
    tags: encodeStringList(instance.tags),
    metadata: encodeStringMap(instance.metadata),
    sourceKey: instance.key ?? null,
  };
}

/** A source's own checks moved the instance's health (its output alone changing is not worth a write). */
function healthMoved(row: TRow, instance: TSourceInstance): boolean {
  return instance.health !== undefined && row.health !== instance.health.status;
}

function differs(row: TRow, instance: TSourceInstance): boolean {
  const [stored, columns] = [columnsOf({ ...row, key: row.sourceKey }), columnsOf(instance)];
  return healthMoved(row, instance) || (Object.keys(columns) as (keyof typeof columns)[]).some((key) => stored[key] !== columns[key]);
}

/** What was written; `taken` names the instances left out because another source has their id in that service. */
export type TApplied = { created: number; updated: number; removed: number; taken: TSkip[] };

/** Fails the transaction unless this collector still holds the source, so two never write one source's instances. */
export type TFence = (tx: Tx) => Promise<void>;

/**
 * Brings the catalog's instances of `source` in line with a change from it, writing only what differs: a
 * snapshot that matches the database writes nothing and tells no story. New instances are passing, removed
 * ones are deregistered (a health event, and a failover when they took traffic); operator overrides stay.
 */
export async function applySourceChange({ source, change, fence }: { source: string; change: TSourceChange; fence?: TFence }): Promise<TApplied> {
  const incoming = change.kind === "snapshot" ? change.instances : change.upserted;
  const wanted = new Map(incoming.map((instance) => [instance.instanceId, instance]));
  const removals = new Map(change.kind === "snapshot" ? [] : change.removed.map((removal) => [removal.instanceId, removal]));
  const ids = change.kind === "snapshot" ? undefined : [...wanted.keys(), ...removals.keys()];
  const rows: TRow[] = await db.instance.findMany({ where: { source, ...(ids ? { instanceId: { in: ids } } : {}) }, select: rowSelect });
  const existing = new Map(rows.map((row) => [row.instanceId, row]));
  const creates: TSourceInstance[] = [];
  const updates: [TRow, TSourceInstance][] = [];
  const removes: (TRow & TRemovalNote)[] = [];
  const moved = (row: TRow): TRow & TRemovalNote => ({ ...row, cause: "key deleted", seenAt: Date.now() });
  for (const instance of wanted.values()) {
    const row = existing.get(instance.instanceId);
    if (!row) creates.push(instance);
    // Moved to another service: it leaves the old one and joins the new.
    else if (row.service.name !== instance.service) {
      removes.push(moved(row));
      creates.push(instance);
    } else if (differs(row, instance)) updates.push([row, instance]);
  }
  const gone =
    change.kind === "snapshot"
      ? rows.filter((row) => !wanted.has(row.instanceId)).map((row) => ({ ...row, cause: change.missing, seenAt: change.at }))
      : [...removals.values()].flatMap((removal) => {
          const row = existing.get(removal.instanceId);
          return row ? [{ ...row, cause: removal.cause, seenAt: removal.seenAt }] : [];
        });
  removes.push(...gone);
  const { free, taken } = await withoutTakenIds(source, creates);
  // Removals first: an instance that moved to another service leaves before it joins. A lease that expires with
  // thousands of keys is one failover event per service.
  await catalogChangeInSteps(chunked(removes, stepSize), async (tx, catalog, rows) => {
    await fence?.(tx);
    await removeInstances(tx, catalog, { source, rows });
  });
  await catalogChangeInSteps(chunked(updates, stepSize), async (tx, catalog, pairs) => {
    await fence?.(tx);
    await updateInstances(tx, catalog, { source, pairs });
  });
  await catalogChangeInSteps(chunked(free, stepSize), async (tx, catalog, instances) => {
    await fence?.(tx);
    await createInstances(tx, catalog, { source, instances });
  });
  return { created: free.length, updated: updates.length, removed: removes.length, taken };
}

/**
 * Instances whose id another source already has in the same service are left out: two registries (or two sources
 * over one) must not put one id twice into a service, which discovery, governance and the gateway key by id.
 */
async function withoutTakenIds(source: string, creates: TSourceInstance[]): Promise<{ free: TSourceInstance[]; taken: TSkip[] }> {
  const holders = new Map<string, string>();
  for (const part of chunked(creates, stepSize)) {
    const rows = await db.instance.findMany({
      where: { source: { not: source }, instanceId: { in: part.map((instance) => instance.instanceId) } },
      select: { instanceId: true, source: true, service: { select: { name: true } } },
    });
    for (const row of rows) holders.set(`${row.service.name}\n${row.instanceId}`, row.source);
  }
  if (holders.size === 0) return { free: creates, taken: [] };
  const free: TSourceInstance[] = [];
  const taken: TSkip[] = [];
  for (const instance of creates) {
    const holder = holders.get(`${instance.service}\n${instance.instanceId}`);
    if (holder === undefined) free.push(instance);
    else
      taken.push({
        key: instance.key ?? instance.instanceId,
        reason: `instance ${instance.instanceId} of ${instance.service} is already registered by source ${holder}`,
      });
  }
  return { free, taken };
}

/** Why an instance left its source and when Meshdeck was told, for the reason and the detection time of its events. */
export type TRemovalNote = Pick<TRemoval, "cause" | "seenAt">;

type TRemovedRow = Pick<TRow, "id" | "instanceId" | "service"> & Parameters<typeof trafficState>[0] & TRemovalNote;

/**
 * Deregisters instances of a source: each a health event, and a failover where it took traffic, saying why it went
 * and its detection time (from the source telling Meshdeck to this record).
 */
export async function removeInstances(tx: Tx, change: TCatalogChange, { source, rows }: { source: string; rows: TRemovedRow[] }) {
  if (rows.length === 0) return;
  const index = await change.index();
  await tx.instance.deleteMany({ where: { id: { in: rows.map((row) => row.id) } } });
  const now = new Date();
  const reasonOf = (row: TRemovedRow) => `removed from ${source} (${row.cause})`;
  const detectionOf = (row: TRemovedRow) => Math.max(0, now.getTime() - row.seenAt);
  await insertRows(tx, {
    table: "HealthEvent",
    rows: rows.map((row) => ({
      id: randomUUID(),
      service: row.service.name,
      source,
      instanceId: row.instanceId,
      from: row.health,
      to: "deregistered",
      reason: reasonOf(row),
      detectionMs: detectionOf(row),
      at: now,
    })),
  });
  // Noted, not written one by one: the catalog change tells one story per service.
  for (const row of rows) {
    change.touched(row.service.name);
    await change.traffic({
      serviceId: row.service.id,
      service: row.service.name,
      instanceId: row.instanceId,
      before: trafficState(row),
      after: null,
      reason: reasonOf(row),
      detectionMs: detectionOf(row),
      at: now,
    });
  }
  await tx.service.updateMany({ where: { id: { in: [...new Set(rows.map((row) => row.service.id))] } }, data: { modifyIndex: index } });
}

async function updateInstances(tx: Tx, change: TCatalogChange, { source, pairs }: { source: string; pairs: [TRow, TSourceInstance][] }) {
  const index = await change.index();
  const now = new Date();
  const healthEvents = [];
  for (const [row, instance] of pairs) {
    change.touched(row.service.name);
    const moved = healthMoved(row, instance) ? instance.health : undefined;
    const health = moved ? { health: moved.status, healthOutput: moved.output, healthChangedAt: now } : {};
    if (moved)
      healthEvents.push({
        id: randomUUID(),
        service: row.service.name,
        source,
        instanceId: row.instanceId,
        from: row.health,
        to: moved.status,
        reason: `${source}: ${moved.output}`.slice(0, 500),
        detectionMs: null,
        at: now,
      });
    const data = { ...columnsOf(instance), ...health, modifyIndex: index };
    const updated = await tx.instance.update({ where: { id: row.id }, data, select: trafficSelect });
    await change.traffic({
      serviceId: row.service.id,
      service: row.service.name,
      instanceId: row.instanceId,
      before: trafficState(row),
      after: trafficState(updated),
      reason: `changed in ${source}`,
    });
  }
  await insertRows(tx, { table: "HealthEvent", rows: healthEvents });
  await tx.service.updateMany({ where: { id: { in: [...new Set(pairs.map(([row]) => row.service.id))] } }, data: { modifyIndex: index } });
}

async function createInstances(tx: Tx, change: TCatalogChange, { source, instances }: { source: string; instances: TSourceInstance[] }) {
  if (instances.length === 0) return;
  const index = await change.index();
  const serviceNames = [...new Set(instances.map((instance) => instance.service))];
  const known = await tx.service.findMany({ where: { name: { in: serviceNames } }, select: { id: true, name: true } });
  await tx.service.updateMany({ where: { name: { in: serviceNames } }, data: { modifyIndex: index } });
  const serviceIds = new Map(known.map((service) => [service.name, service.id]));
  for (const name of serviceNames) {
    if (!serviceIds.has(name)) serviceIds.set(name, (await tx.service.create({ data: { name, source, modifyIndex: index }, select: { id: true } })).id);
    change.touched(name);
  }
  // An operator's override outlives the instance: one that went away and came back gets it again.
  const overrides = await tx.instanceOverride.findMany({
    where: { source, instanceId: { in: instances.map((instance) => instance.instanceId) } },
    select: { instanceId: true, service: true, weight: true, enabled: true },
  });
  const overrideOf = new Map(overrides.map((override) => [override.instanceId, override]));
  const now = new Date();
  const data = instances.map((instance) => {
    const kept = overrideOf.get(instance.instanceId);
    const override = kept?.service === instance.service ? kept : null;
    return {
      id: randomUUID(),
      ...columnsOf(instance),
      serviceId: serviceIds.get(instance.service)!,
      source,
      instanceId: instance.instanceId,
      weightOverride: override?.weight ?? null,
      enabledOverride: override?.enabled ?? null,
      // Its presence in the source is its health: the source's lease or session is the check.
      checkKind: "source",
      metricsPath: null,
      health: instance.health?.status ?? "passing",
      healthOutput: instance.health?.output ?? `registered in ${source}`,
      healthChangedAt: now,
      lastSuccessAt: now,
      modifyIndex: index,
      registeredAt: now,
      updatedAt: now,
    };
  });
  // A service already taking traffic tells no story when instances join it; the first new instance of any other
  // goes alone, so a service coming back from an outage tells it once.
  const serving = new Set<string>();
  for (const ids of chunked([...serviceIds.values()])) {
    const groups = await tx.instance.groupBy({
      by: ["serviceId"],
      where: {
        serviceId: { in: ids },
        health: { in: ["passing", "warning"] },
        OR: [{ enabledOverride: true }, { enabledOverride: null, enabled: true }],
        AND: [{ OR: [{ weightOverride: { gt: 0 } }, { weightOverride: null, weight: { gt: 0 } }] }],
      },
    });
    for (const group of groups) serving.add(group.serviceId);
  }
  const firsts = new Map<string, (typeof data)[number]>();
  for (const row of data) if (!serving.has(row.serviceId) && !firsts.has(row.serviceId)) firsts.set(row.serviceId, row);
  for (const first of firsts.values()) {
    const created = await tx.instance.create({ data: first, select: trafficSelect });
    const service = instances.find((instance) => instance.instanceId === first.instanceId)!.service;
    await change.traffic({
      serviceId: first.serviceId,
      service,
      instanceId: first.instanceId,
      before: null,
      after: trafficState(created),
      reason: `registered in ${source}`,
    });
  }
  const firstIds = new Set([...firsts.values()].map((row) => row.instanceId));
  await insertRows(tx, { table: "Instance", rows: data.filter((row) => !firstIds.has(row.instanceId)) });
  const events = instances.map((instance) => ({
    id: randomUUID(),
    service: instance.service,
    source,
    instanceId: instance.instanceId,
    from: "unknown",
    to: instance.health?.status ?? "passing",
    reason: `registered in ${source}`,
    detectionMs: null,
    at: now,
  }));
  await insertRows(tx, { table: "HealthEvent", rows: events });
}
