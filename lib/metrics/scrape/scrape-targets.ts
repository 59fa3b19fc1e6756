import "server-only";
import { db } from "@/lib/db";

/** An instance whose metrics are collected: its endpoint and the service it counts for. */
export type TScrapeTarget = { id: string; instanceId: string; service: string; host: string; port: number; path: string };

export async function listScrapeTargets(): Promise<TScrapeTarget[]> {
  const rows = await db.instance.findMany({
    where: { metricsPath: { not: null } },
    select: { id: true, instanceId: true, host: true, port: true, metricsPath: true, metricsPort: true, service: { select: { name: true } } },
  });
  return rows.map((row) => ({
    id: row.id,
    instanceId: row.instanceId,
    service: row.service.name,
    host: row.host,
    port: row.metricsPort ?? row.port,
    path: row.metricsPath ?? "/metrics",
  }));
}

/** A target's scrape restarts when any of these change. */
export function targetSignature(target: TScrapeTarget): string {
  return `${target.service} ${target.host} ${target.port} ${target.path}`;
}
