import "server-only";
import { db } from "@/lib/db";
import { jsonDate, jsonRows } from "@/lib/db/bulk";
import { addSignals } from "../signals";
import { rollupKeyOf, signalsOfRow, toRollupRow, type TRollupKey, type TRollupRow } from "./rollup-rows";
import type { TSignals } from "../types";

// Rows per statement: a flush is 1,400 rows at 1,000 instances; a compaction of many services writes more.
const batchSize = 2000;
const columns = [
  { name: "resolution", type: "integer" },
  { name: "scope", type: "text" },
  { name: "service", type: "text" },
  { name: "instanceId", type: "text" },
  { name: "peer", type: "text" },
  { name: "at", type: "timestamp(3)" },
  { name: "requests", type: "double precision" },
  { name: "errors", type: "double precision" },
  { name: "p50Ms", type: "double precision" },
  { name: "p95Ms", type: "double precision" },
  { name: "p99Ms", type: "double precision" },
  { name: "buckets", type: "text" },
] as const;
const key = ["resolution", "scope", "service", "instanceId", "peer", "at"];
const quoted = (names: readonly string[]) => names.map((name) => `"${name}"`).join(", ");
const names = columns.map((column) => column.name);
const updates = names
  .filter((name) => !key.includes(name))
  .map((name) => `"${name}" = excluded."${name}"`)
  .join(", ");

/**
 * Writes rollup rows, a couple of thousand per statement, as one JSON parameter each. A window is written by the
 * collector that owns its service; after a handover two may write one window, and then the later write wins.
 */
export async function writeRollupRows(rows: TRollupRow[]) {
  // SQLite wants a WHERE before an upsert's ON CONFLICT when its rows come from a SELECT.
  const insert = `INSERT INTO "MetricRollup" (${quoted(names)}) SELECT * FROM ${jsonRows(columns)} AS r WHERE true ON CONFLICT (${quoted(key)}) DO UPDATE SET ${updates}`;
  for (let i = 0; i < rows.length; i += batchSize) {
    const cells = rows.slice(i, i + batchSize).map((row) => names.map((name) => (name === "at" ? jsonDate(row.at) : row[name])));
    await db.$executeRawUnsafe(insert, JSON.stringify(cells));
  }
}

/** Builds the `resolution`-second rows of the given services from their finer rows in [fromMs, toMs). */
export async function compactRollups({
  services,
  finer,
  resolution,
  fromMs,
  toMs,
}: {
  services: string[];
  finer: number;
  resolution: number;
  fromMs: number;
  toMs: number;
}) {
  if (services.length === 0) return 0;
  const rows = await db.metricRollup.findMany({
    where: { resolution: finer, service: { in: services }, at: { gte: new Date(fromMs), lt: new Date(toMs) } },
    select: {
      scope: true,
      service: true,
      instanceId: true,
      peer: true,
      at: true,
      requests: true,
      errors: true,
      p50Ms: true,
      p95Ms: true,
      p99Ms: true,
      buckets: true,
    },
  });
  const windowMs = resolution * 1000;
  const merged = new Map<string, { key: TRollupKey; atMs: number; signals: TSignals }>();
  for (const row of rows) {
    const atMs = Math.floor(row.at.getTime() / windowMs) * windowMs;
    const key: TRollupKey = { scope: row.scope, service: row.service, instanceId: row.instanceId, peer: row.peer };
    const id = `${rollupKeyOf(key)}\u0000${atMs}`;
    const current = merged.get(id);
    const signals = signalsOfRow(row);
    merged.set(id, current ? { ...current, signals: addSignals(current.signals, signals) } : { key, atMs, signals });
  }
  await writeRollupRows([...merged.values()].map(({ key, atMs, signals }) => toRollupRow({ key, resolution, atMs, signals })));
  return merged.size;
}

/** Deletes rows past their window's retention; returns how many went. */
export async function deleteOldMetricRollups({ retainMs, now = Date.now() }: { retainMs: Record<number, number>; now?: number }) {
  let deleted = 0;
  for (const [resolution, ms] of Object.entries(retainMs)) {
    const { count } = await db.metricRollup.deleteMany({ where: { resolution: Number(resolution), at: { lt: new Date(now - ms) } } });
    deleted += count;
  }
  return deleted;
}
