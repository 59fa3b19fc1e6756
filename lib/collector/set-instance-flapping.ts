import "server-only";
import { transaction } from "@/lib/db/transaction";

/**
 * Sets or clears an instance's flapping flag with one health event: `to: "flapping"` when it
 * starts, `from: "flapping"` to the health it settled on when it ends. Nothing when already so.
 */
export async function setInstanceFlapping({ id, flapping, health, reason }: { id: string; flapping: boolean; health: string; reason: string }) {
  return transaction(async (tx) => {
    const instance = await tx.instance.findFirst({
      where: { id, flapping: !flapping },
      select: { instanceId: true, source: true, service: { select: { name: true } } },
    });
    if (!instance) return false;
    const now = new Date();
    await tx.instance.update({ where: { id }, data: { flapping } });
    await tx.healthEvent.create({
      data: {
        service: instance.service.name,
        source: instance.source,
        instanceId: instance.instanceId,
        from: flapping ? health : "flapping",
        to: flapping ? "flapping" : health,
        reason,
        at: now,
      },
    });
    return true;
  });
}
