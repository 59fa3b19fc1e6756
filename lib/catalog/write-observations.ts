import "server-only";
import { db } from "@/lib/db";
import { valuesList } from "@/lib/db/bulk";

// What instances were last seen doing: hot-path writes in bulk, outside the catalog index (no watcher wakes for them).

/** The latest heartbeat of each instance, which is its latest success too. */
export async function writeHeartbeats(beats: { id: string; at: Date }[]) {
  await db.$transaction(beats.map(({ id, at }) => db.instance.updateMany({ where: { id }, data: { lastHeartbeatAt: at, lastSuccessAt: at } })));
}

type TTimes = [at: number, ids: string[]][];

/** When the collector last checked instances, and last saw them pass: instances grouped by time. */
export async function writeCheckTimes({ lastCheckAt, lastSuccessAt }: { lastCheckAt: TTimes; lastSuccessAt: TTimes }) {
  await db.$transaction([
    ...lastCheckAt.map(([at, ids]) => db.instance.updateMany({ where: { id: { in: ids } }, data: { lastCheckAt: new Date(at) } })),
    ...lastSuccessAt.map(([at, ids]) => db.instance.updateMany({ where: { id: { in: ids } }, data: { lastSuccessAt: new Date(at) } })),
  ]);
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
