import "server-only";
import { recordAudit } from "@/lib/audit/record-audit";
import { catalogChange } from "@/lib/catalog/catalog-change";
import { trafficSelect, trafficState } from "@/lib/catalog/traffic-state";
import { db } from "@/lib/db";
import { log } from "@/lib/log";
import { writeThroughOverrides } from "@/lib/sources/write-through";

const system = { type: "system", name: "meshdeck" } as const;

/** Reverts one expired override, unless another process or an operator got there first (its version moved). */
async function expireOverride({ id, version }: { id: string; version: number }): Promise<boolean> {
  return catalogChange(async (tx, change) => {
    const index = await change.index();
    const override = await tx.instanceOverride.findUnique({ where: { id } });
    if (!override || override.version !== version || !override.expiresAt) return false;
    const revert = override.revert ?? { weight: null, enabled: null };
    await tx.instanceOverride.update({
      where: { id },
      data: {
        weight: revert.weight,
        enabled: revert.enabled,
        version: { increment: 1 },
        expiresAt: null,
        revert: null,
        reason: "expired",
        updatedBy: system.name,
      },
    });
    const instance = await tx.instance.findUnique({
      where: { source_instanceId: { source: override.source, instanceId: override.instanceId } },
      select: { ...trafficSelect, id: true, serviceId: true, host: true, port: true, tags: true, metadata: true, sourceKey: true },
    });
    const before = instance ? trafficState(instance) : { weight: override.weight ?? 0, enabled: override.enabled ?? true, health: "unknown" };
    if (instance) {
      const updated = await tx.instance.update({
        where: { id: instance.id },
        data: { weightOverride: revert.weight, enabledOverride: revert.enabled, modifyIndex: index },
        select: trafficSelect,
      });
      await tx.service.update({ where: { id: instance.serviceId }, data: { modifyIndex: index } });
      await writeThroughOverrides(tx, [{ ...instance, source: override.source, instanceId: override.instanceId, service: override.service, override: revert }]);
      await change.traffic({
        serviceId: instance.serviceId,
        service: override.service,
        instanceId: override.instanceId,
        before,
        after: trafficState(updated),
        reason: "an operator's change expired",
        planned: true,
      });
    }
    await recordAudit(tx, {
      actor: system,
      action: "instance.override-expired",
      target: `instance/${override.service}/${override.instanceId}`,
      service: override.service,
      before: { weight: before.weight, enabled: before.enabled },
      after: revert,
      reason: `set by ${override.updatedBy}${override.reason ? ` (${override.reason})` : ""}, expired at ${override.expiresAt.toISOString()}`,
    });
    change.touched(override.service);
    return true;
  });
}

/** Reverts the overrides whose time is up; any number of processes may run it, each revert happens once. */
export async function expireOverrides({ now = new Date() }: { now?: Date } = {}): Promise<number> {
  const due = await db.instanceOverride.findMany({ where: { expiresAt: { lte: now } }, select: { id: true, version: true }, take: 100 });
  let expired = 0;
  for (const override of due) {
    if (await expireOverride(override)) expired += 1;
  }
  return expired;
}

/** Looks for expired overrides every second; returns a stop function. */
export function startOverrideExpiry({ intervalMs = 1000 }: { intervalMs?: number } = {}) {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    expireOverrides()
      .catch((error) => log.warn("expiring overrides failed; trying again", error))
      .finally(() => (running = false));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
