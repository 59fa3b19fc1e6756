import { createClient } from "@libsql/client";
import pg from "pg";
import type { TAppTarget } from "./start-app";

export type TStatement = { sql: string; args: (string | number)[] };

/**
 * Runs statements, in order, straight on the app's own database, as something other than Meshdeck's API would
 * (the collector, a source, a hand edit). `$1`, `$2`... are the arguments, on SQLite as on PostgreSQL.
 */
export async function runSql(target: TAppTarget, statements: TStatement[]): Promise<void> {
  if (target.databaseUrl.startsWith("file:")) {
    const client = createClient({ url: target.databaseUrl });
    try {
      // The running app writes to this file too: wait for its lock instead of failing at once (SQLITE_BUSY).
      await client.execute("PRAGMA busy_timeout = 5000");
      for (const { sql, args } of statements) await client.execute({ sql: sql.replace(/\$\d+/g, "?"), args });
    } finally {
      client.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: target.databaseUrl });
  await client.connect();
  try {
    for (const { sql, args } of statements) await client.query(sql, args);
  } finally {
    await client.end();
  }
}

/** Rows of one query straight from the app's database, as stored (`$1`, `$2`... are the arguments). */
export async function querySql<T = Record<string, unknown>>(target: TAppTarget, sql: string, args: (string | number)[] = []): Promise<T[]> {
  if (target.databaseUrl.startsWith("file:")) {
    const client = createClient({ url: target.databaseUrl });
    try {
      await client.execute("PRAGMA busy_timeout = 5000");
      return (await client.execute({ sql: sql.replace(/\$\d+/g, "?"), args })).rows as unknown as T[];
    } finally {
      client.close();
    }
  }
  const client = new pg.Client({ connectionString: target.databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql, args)).rows as T[];
  } finally {
    await client.end();
  }
}
