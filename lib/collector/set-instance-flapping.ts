import "server-only";
import { catalogChange } from "@/lib/catalog/catalog-change";
import { recordIncident } from "@/lib/incidents/record-incident";

/**
 * Sets or clears an instance's flapping flag with one health event: `to: "flapping"` when it
 * starts, `from: "flapping"` to the health it settled on when it ends, grouped into a `flapping` incident. Nothing when already so.
 */
export async function setInstanceFlapping({ id, flapping, health, reason }: { id: string; flapping: boolean; health: string; reason: string }) {
  // Flapping is shown, not served: the catalog's index and its watchers are left alone.
  return catalogChange(async (tx) => {
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
    // An instance that flaps again soon after settling is one recurring incident, not an event storm.
    await recordIncident(tx, {
      kind: flapping ? "flapping" : "settled",
      service: instance.service.name,
      instanceId: instance.instanceId,
      leftCount: 0,
      at: now.getTime(),
      reason,
    });
    return true;
  });
}
