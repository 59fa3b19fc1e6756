// What bench:registry reads straight from the app's database, SQLite or PostgreSQL, with plain SQL: the stored
// builtin instances (to compare with the 2xx answers), a source's instance count, and TTL expiries.
import { createClient, type Client } from "@libsql/client";
import pg from "pg";

export type TBenchDb = {
  builtinInstanceIds(): Promise<string[]>;
  sourceInstanceCount(source: string): Promise<number>;
  /** Health events to critical whose reason is a TTL expiry, of builtin instances. */
  ttlExpiries(): Promise<{ instanceId: string; at: number }[]>;
  /** Health events of a source's instances and failover events of a service (how many stories a mass change told). */
  eventCounts(source: string, service: string): Promise<{ health: number; failover: number }>;
  /** Collector processes holding a lease (each live collector keeps one). */
  collectorCount(): Promise<number>;
  close(): Promise<void>;
};

type TRow = Record<string, unknown>;

// Prisma keeps SQLite DateTime as epoch milliseconds or ISO text, PostgreSQL's as timestamps.
const epoch = (value: unknown) =>
  value instanceof Date ? value.getTime() : typeof value === "number" || typeof value === "bigint" ? Number(value) : Date.parse(String(value));

function queries(all: (sql: string, args: unknown[]) => Promise<TRow[]>, close: () => Promise<void>): TBenchDb {
  return {
    async builtinInstanceIds() {
      return (await all(`SELECT "instanceId" FROM "Instance" WHERE "source" = $1`, ["builtin"])).map((row) => String(row.instanceId));
    },
    async sourceInstanceCount(source) {
      return Number((await all(`SELECT COUNT(*) AS n FROM "Instance" WHERE "source" = $1`, [source]))[0]?.n ?? 0);
    },
    async ttlExpiries() {
      const rows = await all(`SELECT "instanceId", "at" FROM "HealthEvent" WHERE "source" = $1 AND "to" = $2 AND "reason" LIKE $3`, [
        "builtin",
        "critical",
        "TTL expired%",
      ]);
      return rows.map((row) => ({ instanceId: String(row.instanceId), at: epoch(row.at) }));
    },
    async eventCounts(source, service) {
      const health = await all(`SELECT COUNT(*) AS n FROM "HealthEvent" WHERE "source" = $1`, [source]);
      const failover = await all(`SELECT COUNT(*) AS n FROM "FailoverEvent" WHERE "service" = $1`, [service]);
      return { health: Number(health[0]?.n ?? 0), failover: Number(failover[0]?.n ?? 0) };
    },
    async collectorCount() {
      return Number((await all(`SELECT COUNT(*) AS n FROM "CollectorLease"`, []))[0]?.n ?? 0);
    },
    close,
  };
}

export async function openBenchDb(databaseUrl: string): Promise<TBenchDb> {
  if (databaseUrl.startsWith("file:")) {
    const client: Client = createClient({ url: databaseUrl });
    // libsql's placeholders are ?; the queries above are written once, PostgreSQL's way.
    return queries(
      async (sql, args) => (await client.execute({ sql: sql.replace(/\$\d+/g, "?"), args: args as string[] })).rows,
      async () => client.close(),
    );
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  // The server stopped under it (Ctrl-C stops PostgreSQL first): the next query fails, the process must not.
  client.on("error", () => undefined);
  await client.connect();
  return queries(
    async (sql, args) => (await client.query(sql, args)).rows as TRow[],
    () => client.end(),
  );
}
