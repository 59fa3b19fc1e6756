import "server-only";
import { db } from "@/lib/db";
import type { THealth } from "@/lib/health/health";

/** One health event's instance, as (service, source, instance id): ids are unique only within a source. */
export function instanceKey({ service, source, instanceId }: { service: string; source: string; instanceId: string }): string {
  return `${service}\u0000${source}\u0000${instanceId}`;
}

/**
 * A service's health from its instances': unknown while none has reported, critical when none takes
 * traffic (an outage), warning when some are not passing, passing when all are.
 */
export function serviceHealth(instances: { health: string; takesTraffic: boolean }[]): THealth {
  if (instances.every((instance) => instance.health === "unknown")) return "unknown";
  if (!instances.some((instance) => instance.takesTraffic)) return "critical";
  return instances.every((instance) => instance.health === "passing") ? "passing" : "warning";
}

/**
 * The health at `at` of each instance that has changed since: the state its first later transition
 * left. Instances missing from the map have kept their current health.
 */
export async function readHealthAt({ at }: { at: number }): Promise<Map<string, string>> {
  const events = await db.healthEvent.findMany({
    where: { at: { gt: new Date(at) } },
    orderBy: [{ at: "asc" }, { id: "asc" }],
    select: { service: true, source: true, instanceId: true, from: true },
  });
  const then = new Map<string, string>();
  for (const event of events) {
    const key = instanceKey(event);
    if (!then.has(key)) then.set(key, event.from);
  }
  return then;
}
