import "server-only";
import { db } from "@/lib/db";
import type { THealth } from "@/lib/health/health";

// What the collector needs of an actively checked (http, tcp, grpc or script) instance.
export type TCheckedInstance = {
  id: string;
  instanceId: string;
  service: string;
  host: string;
  port: number;
  kind: "http" | "tcp" | "grpc" | "script";
  /** The HTTP path; for grpc the service name asked about; for script the command's arguments as a JSON list. */
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
    where: { checkKind: { in: ["http", "tcp", "grpc", "script"] } },
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
    kind: row.checkKind === "tcp" || row.checkKind === "grpc" || row.checkKind === "script" ? row.checkKind : "http",
    path: row.checkPath ?? (row.checkKind === "http" ? "/health" : ""),
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
