import "server-only";
import { retireService } from "@/lib/catalog/retire-service";
import { db } from "@/lib/db";
import { chunked } from "@/lib/db/bulk";

const system = { type: "system", name: "meshdeck" } as const;

/**
 * Retires services whose outage has lasted `retireAfterMs` with no instance registered (as long, by the service's
 * last change): the outage ends as `retired`. Reads the open outage incidents old enough (at most one per service),
 * then which of their services have no instance. Every collector may run it: a service retired already is not found.
 */
export async function retireAbandoned({ retireAfterMs, now = Date.now() }: { retireAfterMs: number; now?: number }): Promise<string[]> {
  const cutoff = new Date(now - retireAfterMs);
  const outages = await db.incident.findMany({
    where: { cause: "outage", instanceId: null, endedAt: null, startedAt: { lte: cutoff } },
    select: { service: true },
    distinct: ["service"],
  });
  const retired: string[] = [];
  for (const names of chunked(outages.map((outage) => outage.service))) {
    const empty = await db.service.findMany({
      where: { name: { in: names }, instances: { none: {} }, updatedAt: { lte: cutoff } },
      select: { name: true },
    });
    for (const { name } of empty) {
      try {
        await retireService({
          actor: system,
          name,
          reason: `no instance registered and no traffic for over ${Math.round(retireAfterMs / 60_000)} min`,
          now: new Date(now),
        });
        retired.push(name);
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (code !== "not_found" && code !== "conflict") throw error;
      }
    }
  }
  return retired;
}
