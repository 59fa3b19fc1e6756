import "server-only";
import { db } from "@/lib/db";
import { jsonDate, jsonRows, valuesList } from "@/lib/db/bulk";
import { retryOnDeadlock } from "@/lib/db/transaction";

// What instances were last seen doing: hot-path writes in bulk, outside the catalog index (no watcher wakes for them).

// Rows per heartbeat statement: two parameters each, under SQLite's 999 with room to spare.
const beatsPerStatement = 400;

/**
 * The latest heartbeat of each instance, which is its latest success too: one statement per few hundred beats.
 * A beat never moves the stored one back (another app process may have written a newer one). Answers the health
 * of each instance written; an instance missing from the answer is no longer registered.
 */
export async function writeHeartbeats(beats: { id: string; at: number }[]): Promise<Map<string, string>> {
  const health = new Map<string, string>();
  // In id order: app processes flushing beats of the same instances then lock rows in one order, not into a deadlock.
  const sorted = beats.toSorted((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (let i = 0; i < sorted.length; i += beatsPerStatement) {
    const batch = sorted.slice(i, i + beatsPerStatement);
    const rows = await retryOnDeadlock(() =>
      db.$queryRawUnsafe<{ id: string; health: string }[]>(
        `UPDATE "Instance" SET
         "lastHeartbeatAt" = CASE WHEN "Instance"."lastHeartbeatAt" IS NULL OR "Instance"."lastHeartbeatAt" < v.column2 THEN v.column2 ELSE "Instance"."lastHeartbeatAt" END,
         "lastSuccessAt" = CASE WHEN "Instance"."lastSuccessAt" IS NULL OR "Instance"."lastSuccessAt" < v.column2 THEN v.column2 ELSE "Instance"."lastSuccessAt" END
       FROM (VALUES ${valuesList({ rows: batch.length, columns: 2, casts: ["text", "timestamp(3)"] })}) AS v
       WHERE "Instance"."id" = v.column1 RETURNING "Instance"."id" AS "id", "Instance"."health" AS "health"`,
        ...batch.flatMap(({ id, at }) => [id, new Date(at)]),
      ),
    );
    for (const row of rows) health.set(row.id, row.health);
  }
  return health;
}

// Rows per check-times statement: three parameters each, under SQLite's 999.
const timesPerStatement = 300;

/** When the collector last checked instances, and last saw them pass: one statement per few hundred instances. */
export async function writeCheckTimes(times: { id: string; lastCheckAt: number; lastSuccessAt?: number }[]) {
  // In id order, as heartbeats and health changes lock rows.
  const sorted = times.toSorted((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (let i = 0; i < sorted.length; i += timesPerStatement) {
    const batch = sorted.slice(i, i + timesPerStatement);
    await retryOnDeadlock(() =>
      db.$executeRawUnsafe(
        `UPDATE "Instance" SET "lastCheckAt" = v.column2, "lastSuccessAt" = COALESCE(v.column3, "Instance"."lastSuccessAt")
       FROM (VALUES ${valuesList({ rows: batch.length, columns: 3, casts: ["text", "timestamp(3)", "timestamp(3)"] })}) AS v WHERE "Instance"."id" = v.column1`,
        ...batch.flatMap(({ id, lastCheckAt, lastSuccessAt }) => [id, new Date(lastCheckAt), lastSuccessAt === undefined ? null : new Date(lastSuccessAt)]),
      ),
    );
  }
}

export type TScrapeStatus = { at: number; error: string | null; durationMs: number };

// Instances per statement: every scraped instance is written once a scrape interval, a few hundred every flush.
const batchSize = 2000;
const scrapeColumns = [
  { name: "id", type: "text" },
  { name: "at", type: "timestamp(3)" },
  { name: "error", type: "text" },
  { name: "ms", type: "integer" },
];

/** Writes each instance's last scrape: one statement per couple of thousand instances, their rows as one JSON value. */
export async function writeScrapeStatuses(statuses: Map<string, TScrapeStatus>) {
  const entries = [...statuses];
  const update = `UPDATE "Instance" SET "lastScrapeAt" = v."at", "scrapeError" = v."error", "scrapeMs" = v."ms"
    FROM ${jsonRows(scrapeColumns)} AS v WHERE "Instance"."id" = v."id"`;
  for (let i = 0; i < entries.length; i += batchSize) {
    const cells = entries.slice(i, i + batchSize).map(([id, status]) => [id, jsonDate(new Date(status.at)), status.error, Math.round(status.durationMs)]);
    await db.$executeRawUnsafe(update, JSON.stringify(cells));
  }
}
