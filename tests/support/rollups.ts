import { runSql } from "./database";
import type { TAppTarget } from "./start-app";

/** A 10 s rollup row; a bucket bound of null is +Inf, as rollup rows store it. */
export type TRollupRow = {
  scope: "service" | "edge";
  service: string;
  peer?: string;
  at: number;
  requests: number;
  errors: number;
  buckets: [number | null, number][];
};

/** Rollup rows straight into the app's database, as the collector writes them: a test need not wait for scrapes. */
export async function insertRollups(target: TAppTarget, rows: TRollupRow[]) {
  const columns = `"resolution", "scope", "service", "instanceId", "peer", "at", "requests", "errors", "buckets"`;
  // Prisma keeps SQLite DateTimes as ISO text with an explicit offset; PostgreSQL reads that too.
  const values = (row: TRollupRow) => [
    10,
    row.scope,
    row.service,
    "",
    row.peer ?? "",
    new Date(row.at).toISOString().replace("Z", "+00:00"),
    row.requests,
    row.errors,
    JSON.stringify(row.buckets),
  ];
  await runSql(
    target,
    rows.map((row) => ({ sql: `INSERT INTO "MetricRollup" (${columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, args: values(row) })),
  );
}
