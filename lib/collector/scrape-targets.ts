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

export type TScrapeStatus = { at: number; error: string | null; durationMs: number };

// Durations to two significant digits: instances scraped in the same second share a statement.
function roughly(ms: number): number {
  if (ms < 10) return Math.max(1, Math.round(ms));
  const scale = 10 ** (Math.floor(Math.log10(ms)) - 1);
  return Math.round(ms / scale) * scale;
}

/** Writes each instance's last scrape, grouped so a thousand instances take a few statements. */
export async function writeScrapeStatuses(statuses: Map<string, TScrapeStatus>) {
  const groups = new Map<string, { at: Date; error: string | null; durationMs: number; ids: string[] }>();
  for (const [id, status] of statuses) {
    const at = Math.floor(status.at / 1000) * 1000;
    const durationMs = roughly(status.durationMs);
    const key = `${at}\u0000${durationMs}\u0000${status.error ?? ""}`;
    const group = groups.get(key) ?? { at: new Date(at), error: status.error, durationMs, ids: [] };
    group.ids.push(id);
    groups.set(key, group);
  }
  await db.$transaction(
    [...groups.values()].map((group) =>
      db.instance.updateMany({ where: { id: { in: group.ids } }, data: { lastScrapeAt: group.at, scrapeError: group.error, scrapeMs: group.durationMs } }),
    ),
  );
}
