import "server-only";
import { randomUUID } from "node:crypto";
import type { TActor } from "@/lib/auth/actor";
import { assertPermission, type TPermission } from "@/lib/auth/permissions";
import { recordAudits, type TAuditInput } from "@/lib/audit/record-audit";
import { catalogChange } from "@/lib/catalog/catalog-change";
import { trafficSelect, trafficState } from "@/lib/catalog/traffic-state";
import { db, type Db, type Tx } from "@/lib/db";
import { chunked, insertRows } from "@/lib/db/bulk";
import { encodeRevert } from "@/lib/db/codecs";
import { AppError } from "@/lib/errors";
import { instanceWhere } from "@/lib/registry/instance-where";
import { writeThroughOverrides, type TWriteThroughRow } from "@/lib/sources/write-through";
import { findOverrides, overrideKey } from "./overrides";
import { listDrivenBackends } from "@/lib/dataplanes/queries";
import { applyChange, dataPlaneEffects, previewChange, summarizePreview, type TTrafficPreview } from "./preview";
import type { TChangeInstances, TInstanceChange, TInstanceSelector } from "./schemas";

const rowSelect = {
  ...trafficSelect,
  id: true,
  instanceId: true,
  source: true,
  host: true,
  port: true,
  sourceKey: true,
  tags: true,
  metadata: true,
  service: { select: { id: true, name: true, policy: true, protectionThreshold: true } },
} as const;

type TRow = Awaited<ReturnType<typeof db.instance.findMany<{ select: typeof rowSelect }>>>[number];

function matches(row: TRow, selector: TInstanceSelector): boolean {
  if (selector.tag && !row.tags.includes(selector.tag)) return false;
  if (selector.metadata && Object.entries(selector.metadata).some(([key, value]) => row.metadata[key] !== value)) return false;
  return true;
}

/** The instances a selector names, picked in SQL; ids that match nothing are a 404 that names them. */
async function selectInstances(tx: Db | Tx, selector: TInstanceSelector): Promise<TRow[]> {
  const where = {
    ...(selector.service ? { service: { name: selector.service } } : {}),
    ...instanceWhere({ q: selector.q, health: selector.health, enabled: selector.enabled, tag: selector.tag }),
  };
  const rows: TRow[] = [];
  if (selector.ids) {
    for (const ids of chunked(selector.ids)) rows.push(...(await tx.instance.findMany({ where: { ...where, instanceId: { in: ids } }, select: rowSelect })));
    rows.sort((a, b) => (a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : 0));
    const found = new Set(rows.map((row) => row.instanceId));
    const missing = selector.ids.filter((id) => !found.has(id));
    const within = selector.service ? ` in service '${selector.service}'` : "";
    if (missing.length > 0) throw new AppError("not_found", `no instance ${missing.map((id) => `'${id}'`).join(", ")}${within}`, "selector.ids");
  } else {
    rows.push(...(await tx.instance.findMany({ where, select: rowSelect, orderBy: { instanceId: "asc" } })));
  }
  const chosen = rows.filter((row) => matches(row, selector));
  if (chosen.length === 0) throw new AppError("validation_failed", "no instance matches the selection", "selector");
  return chosen;
}

function describe(change: TInstanceChange): string {
  if (change.reset) return "reset to what it registers";
  const parts = [];
  if (change.weight !== undefined) parts.push(`weight ${change.weight}`);
  if (change.enabled !== undefined) parts.push(change.enabled ? "enabled" : "drained");
  return parts.join(", ");
}

function auditAction(change: TInstanceChange): string {
  if (change.reset) return "instance.reset";
  return change.weight !== undefined ? "instance.weight" : "instance.enabled";
}

/** The guard, per service touched: the same preview the UI shows, over every instance of the service. */
async function previewServices(tx: Db | Tx, chosen: TRow[], change: TInstanceChange) {
  const previews = new Map<string, TTrafficPreview>();
  const selected = new Set(chosen.map((row) => row.id));
  for (const service of new Map(chosen.map((row) => [row.service.id, row.service])).values()) {
    // Only what decides traffic: a service of thousands is read without its tags and metadata.
    const members = await tx.instance.findMany({
      where: { serviceId: service.id },
      select: { ...trafficSelect, id: true, instanceId: true },
      orderBy: { instanceId: "asc" },
    });
    previews.set(
      service.name,
      previewChange({
        policy: service.policy,
        protectionThreshold: service.protectionThreshold,
        selected: new Set(members.filter((row) => selected.has(row.id)).map((row) => row.instanceId)),
        change,
        instances: members.map((row) => ({ id: row.instanceId, ...trafficState(row), registeredWeight: row.weight, registeredEnabled: row.enabled })),
      }),
    );
  }
  return previews;
}

/**
 * Applies an operator's weight / enabled choice (or a reset) to the selected instances, in one transaction with its
 * audit events and traffic story, and writes it through to the registry its clients read (for the built-in registry,
 * committing is the write-through); discovery watchers and the gateway see it as soon as it commits.
 * Refused: instances changed by someone else since `expected` (409), and, unless forced with a reason, a change that
 * leaves a service with no instance taking traffic or below its protection threshold (422 on `force`).
 */
export async function changeInstances({
  actor,
  input,
  permission = "governance.change",
}: {
  actor: TActor;
  input: TChangeInstances;
  // What the actor needs for each service the selection reaches: a client's own drain (Consul, Eureka) is its registration's.
  permission?: TPermission;
}) {
  const { change } = input;
  if (input.selector.service) assertPermission({ actor, permission, service: input.selector.service });
  const now = new Date();
  const expiresAt = input.expiresIn ? new Date(now.getTime() + input.expiresIn) : null;
  return catalogChange(async (tx, catalog) => {
    // The counter row is locked first, so concurrent changes take turns and each sees the other's result.
    const index = await catalog.index();
    const chosen = await selectInstances(tx, input.selector);
    // A token narrowed to some services changes nothing unless it reaches every service chosen (403 names the first it does not).
    for (const service of new Set(chosen.map((row) => row.service.name))) assertPermission({ actor, permission, service });
    const overrides = await findOverrides(tx, chosen);
    for (const row of chosen) {
      const expected = input.expected?.[row.instanceId];
      const version = overrides.get(overrideKey(row))?.version ?? 0;
      if (expected !== undefined && expected !== version) {
        throw new AppError(
          "conflict",
          `${row.instanceId} was changed by someone else meanwhile (version ${version}, you saw ${expected}); look at its current state and try again`,
          "expected",
        );
      }
    }
    const previews = await previewServices(tx, chosen, change);
    const refused = [...previews].filter(([, preview]) => preview.refusal);
    if (refused.length > 0 && !input.force) {
      const why = refused.map(([service, preview]) => `${service}: ${preview.refusal!.message}`).join("; ");
      throw new AppError("validation_failed", `${why}. Force the change with a reason to go ahead.`, "force");
    }
    const changed = [];
    const writes: TWriteThroughRow[] = [];
    // Written in bulk: a drain of thousands of instances is a few statements, not a few per instance.
    const instanceUpdates = new Map<string, { data: { weightOverride: number | null; enabledOverride: boolean | null }; ids: string[] }>();
    const overrideCreates = [];
    const overrideUpdates = new Map<string, { data: object; ids: string[] }>();
    const audits: TAuditInput[] = [];
    const reason = `${describe(change)} by ${actor.name}`;
    for (const row of chosen) {
      const previous = overrides.get(overrideKey(row));
      const before = trafficState(row);
      const weightOverride = change.reset ? null : (change.weight ?? row.weightOverride);
      const enabledOverride = change.reset ? null : (change.enabled ?? row.enabledOverride);
      // An expiring change goes back to what was there before it; a change on top of an expiring one keeps the first's way back.
      const revert = expiresAt
        ? previous?.expiresAt && previous.revert
          ? previous.revert
          : { weight: row.weightOverride, enabled: row.enabledOverride }
        : null;
      const group = `${weightOverride}/${enabledOverride}`;
      const update = instanceUpdates.get(group);
      if (update) update.ids.push(row.id);
      else instanceUpdates.set(group, { data: { weightOverride, enabledOverride }, ids: [row.id] });
      writes.push({ ...row, service: row.service.name, override: { weight: weightOverride, enabled: enabledOverride } });
      const saved = { service: row.service.name, weight: weightOverride, enabled: enabledOverride, expiresAt, revert: encodeRevert(revert) };
      const common = { ...saved, reason: input.reason || null, updatedBy: actor.name };
      let version = 1;
      if (previous) {
        version = previous.version + 1;
        const key = JSON.stringify(common);
        const update = overrideUpdates.get(key);
        if (update) update.ids.push(previous.id);
        else overrideUpdates.set(key, { data: common, ids: [previous.id] });
      } else overrideCreates.push({ id: randomUUID(), ...common, source: row.source, instanceId: row.instanceId, version, updatedAt: now });
      const after = {
        health: row.health,
        ...applyChange({ ...before, id: row.instanceId, registeredWeight: row.weight, registeredEnabled: row.enabled }, change),
      };
      await catalog.traffic({
        serviceId: row.service.id,
        service: row.service.name,
        instanceId: row.instanceId,
        before,
        after,
        reason,
        at: now,
        planned: true,
      });
      audits.push({
        actor,
        action: auditAction(change),
        target: `instance/${row.service.name}/${row.instanceId}`,
        service: row.service.name,
        before: { weight: before.weight, enabled: before.enabled },
        after: { weight: after.weight, enabled: after.enabled, ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}) },
        reason: input.reason || undefined,
      });
      changed.push({
        id: row.instanceId,
        service: row.service.name,
        weight: after.weight,
        enabled: after.enabled,
        version,
        expiresAt: expiresAt?.toISOString() ?? null,
      });
    }
    for (const { data, ids } of instanceUpdates.values()) await tx.instance.updateMany({ where: { id: { in: ids } }, data: { ...data, modifyIndex: index } });
    for (const { data, ids } of overrideUpdates.values())
      await tx.instanceOverride.updateMany({ where: { id: { in: ids } }, data: { ...data, version: { increment: 1 } } });
    await insertRows(tx, { table: "InstanceOverride", rows: overrideCreates });
    await recordAudits(tx, audits);
    // Last, so a source that refuses the change rolls back everything above.
    await writeThroughOverrides(tx, writes);
    const services = [...new Set(chosen.map((row) => row.service.id))];
    await tx.service.updateMany({ where: { id: { in: services } }, data: { modifyIndex: index } });
    for (const row of chosen) catalog.touched(row.service.name);
    return { changed, previews: Object.fromEntries(previews), forced: refused.length > 0 };
  });
}

/**
 * What a change would do, without making it: how many instances the selector picks and, per service, the guard's
 * preview, summarized so that a selection of thousands answers with a few rows.
 */
export async function previewInstanceChange({ input }: { input: TChangeInstances }) {
  const chosen = await selectInstances(db, input.selector);
  const previews = await previewServices(db, chosen, input.change);
  // The proxies that obey the change too: "this drain takes orders-2 out of haproxy backend orders".
  const driven = await listDrivenBackends({ services: [...previews.keys()] });
  return {
    selected: chosen.length,
    services: [...previews].map(([service, preview]) => ({
      service,
      ...summarizePreview(preview),
      dataPlanes: dataPlaneEffects(preview, driven.get(service) ?? []),
    })),
  };
}

export type TInstanceChangePreview = Awaited<ReturnType<typeof previewInstanceChange>>;
