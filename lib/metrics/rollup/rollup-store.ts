import "server-only";
import { db } from "@/lib/db";
import { chunked, jsonDate, jsonRows, valuesList } from "@/lib/db/bulk";
import { decodeRollupScope } from "@/lib/db/codecs";
import { isPostgres } from "@/lib/env";
import { addSignals } from "../signals";
import { atMsOfValues, rollupKeyOf, signalsOfValues, toRollupRow, type TRollupKey, type TRollupRow, type TRowValues } from "./rollup-rows";
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

type TSeriesRows = { scope: string; service: string; instanceId: string; peer: string; rows: string };

/**
 * The given services' rows at `finer` in [fromMs, toMs), one result row per series with its rows as JSON: the
 * driver's and Prisma's cost is per result row (a minute's compaction read 8,400 rows at 1,000 instances).
 */
async function readSeriesRows({ services, finer, fromMs, toMs }: { services: string[]; finer: number; fromMs: number; toMs: number }) {
  const postgres = isPostgres();
  const rows = postgres
    ? `json_agg(json_build_array(floor(extract(epoch FROM at) * 1000), requests, errors, "p50Ms", "p95Ms", "p99Ms", buckets))::text`
    : `json_group_array(json_array(at, requests, errors, "p50Ms", "p95Ms", "p99Ms", buckets))`;
  const found: TSeriesRows[] = [];
  for (const part of chunked(services)) {
    let n = part.length;
    const next = () => (postgres ? `$${++n}` : "?");
    found.push(
      ...(await db.$queryRawUnsafe<TSeriesRows[]>(
        `SELECT scope, service, "instanceId", peer, ${rows} AS rows FROM "MetricRollup"
         WHERE service IN (VALUES ${valuesList({ rows: part.length, columns: 1, casts: ["text"] })}) AND resolution = ${next()} AND at >= ${next()} AND at < ${next()}
         GROUP BY scope, service, "instanceId", peer`,
        ...part,
        finer,
        new Date(fromMs),
        new Date(toMs),
      )),
    );
  }
  return found;
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
  const windowMs = resolution * 1000;
  const merged = new Map<string, { key: TRollupKey; atMs: number; signals: TSignals }>();
  for (const series of await readSeriesRows({ services, finer, fromMs, toMs })) {
    const key: TRollupKey = { scope: decodeRollupScope(series.scope), service: series.service, instanceId: series.instanceId, peer: series.peer };
    const keyId = rollupKeyOf(key);
    for (const values of JSON.parse(series.rows) as TRowValues[]) {
      const atMs = Math.floor(atMsOfValues(values) / windowMs) * windowMs;
      const id = `${keyId}\u0000${atMs}`;
      const current = merged.get(id);
      const signals = signalsOfValues(values);
      merged.set(id, current ? { ...current, signals: addSignals(current.signals, signals) } : { key, atMs, signals });
    }
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
