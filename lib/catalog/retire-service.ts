import "server-only";
import type { TActor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { AppError } from "@/lib/errors";
import { catalogChange } from "./catalog-change";
import { recordServiceRetired } from "./record-traffic-change";

// An instance is stale when it has not passed a check or sent a beat for this long and takes no traffic.
export const staleAfterMs = 5 * 60_000;

/** Instances of a service that are not stale: alive, or failing for less than `staleAfterMs`. */
export function liveInstancesWhere(serviceId: string, now: Date) {
  const since = new Date(now.getTime() - staleAfterMs);
  return {
    serviceId,
    OR: [{ health: { in: ["passing", "warning"] } }, { lastSuccessAt: { gt: since } }, { lastSuccessAt: null, registeredAt: { gt: since } }],
  };
}

/**
 * Removes a service with no instances, or only stale ones, from the catalog; its events, incidents and audit keep
 * its name, so its history stays. Written with a `retired` event (ending its open outage) and the audit record, in
 * one transaction. Refused (409) while an instance is alive.
 */
export async function retireService({ actor, name, reason, now = new Date() }: { actor: TActor; name: string; reason: string; now?: Date }) {
  return catalogChange(async (tx, change) => {
    await change.index();
    const service = await tx.service.findUnique({ where: { name }, select: { id: true, _count: { select: { instances: true } } } });
    if (!service) throw new AppError("not_found", `service '${name}' is not registered`, "name");
    const live = await tx.instance.count({ where: liveInstancesWhere(service.id, now) });
    if (live > 0) {
      throw new AppError(
        "conflict",
        `${name} has ${live} ${live === 1 ? "instance" : "instances"} alive or failing for less than ${staleAfterMs / 60_000} min; deregister or drain ${live === 1 ? "it" : "them"} first`,
        "name",
      );
    }
    const stale = service._count.instances;
    // The instances go with it (cascade); a source that still holds one brings it, and the service, back.
    await tx.service.delete({ where: { id: service.id } });
    const why = `retired by ${actor.name}${stale > 0 ? ` with ${stale} stale ${stale === 1 ? "instance" : "instances"}` : ""}: ${reason}`;
    await recordServiceRetired(tx, { service: name, reason: why, at: now });
    await recordAudit(tx, { actor, action: "service.retire", target: `service/${name}`, service: name, before: { instances: stale }, reason });
    change.touched(name);
    return { service: name, staleInstances: stale };
  });
}
