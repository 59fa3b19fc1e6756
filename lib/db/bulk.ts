import "server-only";
import { isPostgres } from "@/lib/env";

/**
 * `(?, ?), (?, ?)` for SQLite or `($1, $2), ($3, $4)` for PostgreSQL: multi-row statements for the
 * collector's hot paths, where Prisma's per-row cost would dominate. `casts` types PostgreSQL's
 * parameters where it cannot infer them (in a VALUES list that is not an INSERT's).
 */
export function valuesList({ rows, columns, casts = [] }: { rows: number; columns: number; casts?: (string | undefined)[] }): string {
  const postgres = isPostgres();
  let n = 0;
  const row = () => {
    const cells: string[] = [];
    for (let c = 0; c < columns; c += 1) cells.push(postgres ? `$${++n}${casts[c] ? `::${casts[c]}` : ""}` : "?");
    return `(${cells.join(", ")})`;
  };
  return Array.from({ length: rows }, row).join(", ");
}

/**
 * Rows passed as one JSON parameter (an array of arrays, cells in `columns` order), as a subquery to select from (give it an alias):
 * one constant statement and one value to bind, where a VALUES list binds every cell, each through Prisma and the
 * driver, and is prepared anew for each row count. PostgreSQL casts each cell to its column's type; a date goes as
 * `jsonDate` writes it.
 */
export function jsonRows(columns: readonly { name: string; type: string }[]): string {
  if (isPostgres())
    return `(SELECT ${columns.map(({ name, type }, i) => `(v ->> ${i})::${type} AS "${name}"`).join(", ")} FROM json_array_elements($1::json) AS v)`;
  return `(SELECT ${columns.map(({ name }, i) => `value ->> ${i} AS "${name}"`).join(", ")} FROM json_each(?))`;
}

/** A date in a `jsonRows` cell: ISO 8601 with "+00:00", as Prisma's SQLite adapter stores one (PostgreSQL reads it too). */
export const jsonDate = (at: Date) => at.toISOString().replace("Z", "+00:00");

// Parameters per statement stay under SQLite's 32766 and PostgreSQL's 65535.
export const maxParameters = 30_000;

/**
 * Inserts rows with one statement per few hundred: for writes of thousands of rows at once (a registry's first
 * listing), where createMany's per-row cost in Prisma's query compiler dominates. Every column is given, as
 * Prisma's client-side defaults (ids, @updatedAt) do not apply here.
 */
export async function insertRows<T extends Record<string, unknown>>(
  client: { $executeRawUnsafe: (query: string, ...values: unknown[]) => Promise<number> },
  { table, rows, onConflict = "" }: { table: string; rows: T[]; /** e.g. `ON CONFLICT ("id") DO UPDATE SET ...`: an upsert. */ onConflict?: string },
) {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const perStatement = Math.max(1, Math.floor(maxParameters / columns.length));
  const names = columns.map((column) => `"${column}"`).join(", ");
  for (let i = 0; i < rows.length; i += perStatement) {
    const batch = rows.slice(i, i + perStatement);
    await client.$executeRawUnsafe(
      `INSERT INTO "${table}" (${names}) VALUES ${valuesList({ rows: batch.length, columns: columns.length })} ${onConflict}`,
      ...batch.flatMap((row) => columns.map((column) => row[column])),
    );
  }
}

// Prisma checks SQLite's 999 bound parameters itself, and splits only a plain `in` filter of a find, update or delete:
// a list inside `OR`, a `groupBy` or a compound key goes out whole. Lists that grow with the fleet go in parts of this many.
export const chunkSize = 400;

/** `items` in parts of at most `size`, for queries whose parameter list would otherwise grow with the fleet. */
export function chunked<T>(items: readonly T[], size = chunkSize): T[][] {
  const parts: T[][] = [];
  for (let i = 0; i < items.length; i += size) parts.push(items.slice(i, i + size));
  return parts;
}
