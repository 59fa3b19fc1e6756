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
