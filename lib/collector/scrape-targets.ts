import "server-only";
import { db } from "@/lib/db";
import { valuesList } from "@/lib/db/bulk";

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

export type TScrapeStatus = { at: number; error: string | null; durationMs: number };

const batchSize = 500;

/** Writes each instance's last scrape: one statement per few hundred instances. */
export async function writeScrapeStatuses(statuses: Map<string, TScrapeStatus>) {
  const entries = [...statuses];
  for (let i = 0; i < entries.length; i += batchSize) {
    const batch = entries.slice(i, i + batchSize);
    const values = batch.flatMap(([id, status]) => [id, new Date(status.at), status.error, Math.round(status.durationMs)]);
    await db.$executeRawUnsafe(
      `UPDATE "Instance" SET "lastScrapeAt" = v.column2, "scrapeError" = v.column3, "scrapeMs" = v.column4
       FROM (VALUES ${valuesList({ rows: batch.length, columns: 4, casts: ["text", "timestamp(3)", "text", "integer"] })}) AS v WHERE "Instance"."id" = v.column1`,
      ...values,
    );
  }
}
