import "server-only";
import { db } from "@/lib/db";
import type { THealth } from "@/lib/health/health";

// What the collector needs of an actively checked (http or tcp) instance.
export type TCheckedInstance = {
  id: string;
  instanceId: string;
  service: string;
  host: string;
  port: number;
  kind: "http" | "tcp";
  path: string;
  intervalMs: number;
  timeoutMs: number;
  rise: number;
  fall: number;
  health: THealth;
  flapping: boolean;
  lastSuccessAt: number | null;
};

export async function listCheckedInstances(): Promise<TCheckedInstance[]> {
  const rows = await db.instance.findMany({
    where: { checkKind: { in: ["http", "tcp"] } },
    select: {
      id: true,
      instanceId: true,
      host: true,
      port: true,
      checkKind: true,
      checkPath: true,
      checkIntervalMs: true,
      checkTimeoutMs: true,
      checkRise: true,
      checkFall: true,
      health: true,
      flapping: true,
      lastSuccessAt: true,
      service: { select: { name: true } },
    },
  });
  return rows.map((row) => ({
    id: row.id,
    instanceId: row.instanceId,
    service: row.service.name,
    host: row.host,
    port: row.port,
    kind: row.checkKind === "tcp" ? "tcp" : "http",
    path: row.checkPath ?? "/health",
    intervalMs: row.checkIntervalMs,
    timeoutMs: row.checkTimeoutMs,
    rise: row.checkRise,
    fall: row.checkFall,
    health: row.health,
    flapping: row.flapping,
    lastSuccessAt: row.lastSuccessAt?.getTime() ?? null,
  }));
}

/** What, when changed, means the check starts over (health and timestamps change all the time). */
export function checkSignature(instance: TCheckedInstance): string {
  const { host, port, kind, path, intervalMs, timeoutMs, rise, fall } = instance;
  return JSON.stringify([host, port, kind, path, intervalMs, timeoutMs, rise, fall]);
}
