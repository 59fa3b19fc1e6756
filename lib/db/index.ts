import { PrismaPg } from "@prisma/adapter-pg";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { openSealed } from "@/lib/crypto/sealed-columns";
import { getEnv, isPostgres } from "@/lib/env";
import { processSingleton } from "@/lib/process-singleton";
import { decodeResult, decodedColumns } from "./codecs";
import { GuardedPrismaLibSql } from "./sqlite-adapter";
import { PrismaClient as PostgresClient } from "./generated/postgres/client.ts";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client.ts";

export type { Prisma } from "./generated/sqlite/client.ts";

// Secrets are left out of every read unless a query asks for them by name.
const omit = { user: { passwordHash: true }, apiToken: { tokenHash: true } } as const;

function createBaseClient() {
  const url = getEnv().DATABASE_URL;
  if (isPostgres(url)) {
    // Both clients come from one schema, so they share a shape; SQLite's types stand for both.
    const client = new PostgresClient({ adapter: new PrismaPg({ connectionString: url }), omit });
    return client as unknown as SqliteClient<never, typeof omit>;
  }
  const file = resolve(url.slice("file:".length));
  mkdirSync(dirname(file), { recursive: true });
  return new SqliteClient({ adapter: new GuardedPrismaLibSql({ url: `file:${file}` }), omit });
}

type TBaseClient = ReturnType<typeof createBaseClient>;

// Types only: the client as Prisma types it with the decoded columns as result extensions (never called).
const _typedDecoded = (client: TBaseClient) => client.$extends({ result: decodedColumns });
export type Db = ReturnType<typeof _typedDecoded>;

// Stored enums and JSON columns come back decoded (lib/db/codecs.ts) in every read, nested rows and transactions
// included: decoded by a query extension, which hands out plain rows at a fraction of a result extension's cost.
// Sealed secrets (lib/crypto/sealed-columns.ts) are opened first.
function createClient(): Db {
  const client = createBaseClient().$extends({
    query: { $allModels: { $allOperations: async ({ model, args, query }) => decodeResult(model, openSealed(model, await query(args))) } },
  });
  return client as unknown as Db;
}
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

// One client per process: dev reloads and Next's separate bundles share it.
export const db: Db = processSingleton("meshdeck.db", createClient);
