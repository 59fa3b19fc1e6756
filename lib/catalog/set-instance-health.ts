import "server-only";
import type { Prisma } from "@/lib/db";
import type { THealth } from "@/lib/health/health";
import { catalogChange } from "./catalog-change";
import { trafficSelect, trafficState } from "./traffic-state";

/**
 * Moves one instance to `to` and writes the health event, once: `where` narrows the update so a
 * transition that another writer already made (or that no longer applies) changes nothing.
 */
export async function setInstanceHealth({
  id,
  to,
  reason,
  where = {},
  unless,
  detectionMs,
}: {
  id: string;
  to: THealth;
  reason: string;
  /** From the last success to this decision, for changes to critical. */
  detectionMs?: number;
  where?: Prisma.InstanceWhereInput;
  /** Looked at again inside the transaction, for what only memory knows (a heartbeat just in). */
  unless?: () => boolean;
}): Promise<boolean> {
  return catalogChange(async (tx, change) => {
    const instance = await tx.instance.findFirst({
      where: { ...where, id, health: { not: to } },
      select: { ...trafficSelect, instanceId: true, source: true, service: { select: { id: true, name: true } } },
    });
    if (!instance || unless?.()) return false;
    const index = await change.index();
    const now = new Date();
    const updated = await tx.instance.updateMany({
      where: { ...where, id, health: instance.health },
      data: { health: to, healthOutput: reason, healthChangedAt: now, modifyIndex: index },
    });
    if (updated.count === 0) return false;
    await tx.service.update({ where: { id: instance.service.id }, data: { modifyIndex: index } });
    change.touched(instance.service.name);
    await tx.healthEvent.create({
      data: {
        service: instance.service.name,
        source: instance.source,
        instanceId: instance.instanceId,
        from: instance.health,
        to,
        reason,
        detectionMs: detectionMs === undefined ? null : Math.round(detectionMs),
        at: now,
      },
    });
    const before = trafficState(instance);
    await change.traffic({
      serviceId: instance.service.id,
      service: instance.service.name,
      instanceId: instance.instanceId,
      before,
      after: { ...before, health: to },
      reason,
      detectionMs,
      at: now,
    });
    return true;
  });
}
