import "server-only";
import { db } from "@/lib/db";
import { deregisterInstance } from "@/lib/registry/register-instance";

// Actively checked instances looked at per round, the longest critical first; the rest wait for the next round.
const maxPerRound = 200;

/**
 * Deregisters actively checked (http, tcp, grpc, script) built-in instances critical for longer than their
 * deregisterAfter, as Consul's DeregisterCriticalServiceAfter (TTL instances are the heartbeat sweep's). Every
 * collector may run it: one that finds the instance gone already has nothing to do. Answers those it removed.
 */
export async function deregisterCritical({ now = Date.now() }: { now?: number } = {}): Promise<string[]> {
  const rows = await db.instance.findMany({
    where: { source: "builtin", health: "critical", deregisterAfterMs: { not: null }, checkKind: { in: ["http", "tcp", "grpc", "script"] } },
    select: { id: true, instanceId: true, healthChangedAt: true, deregisterAfterMs: true },
    orderBy: { healthChangedAt: "asc" },
    take: maxPerRound,
  });
  const due = rows.filter((row) => row.healthChangedAt.getTime() + row.deregisterAfterMs! <= now);
  const gone: string[] = [];
  for (const row of due) {
    // Read again just before: one that recovered meanwhile stays.
    const still = await db.instance.findUnique({ where: { id: row.id }, select: { health: true, healthChangedAt: true } });
    if (still?.health !== "critical" || still.healthChangedAt.getTime() !== row.healthChangedAt.getTime()) continue;
    try {
      await deregisterInstance({
        instanceId: row.instanceId,
        reason: `deregistered: critical for ${Math.round((now - row.healthChangedAt.getTime()) / 1000)} s (deregisterAfter ${row.deregisterAfterMs! / 1000} s)`,
      });
      gone.push(row.instanceId);
    } catch (error) {
      if ((error as { code?: unknown }).code !== "not_found") throw error;
    }
  }
  return gone;
}
