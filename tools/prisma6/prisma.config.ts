import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { defineConfig } from "prisma/config";

// adapter-pg 6.19 cannot read the catalog types `name` (19) and `"char"` (18) that introspection
// returns (prisma/prisma#27403); they are read as text instead.
const textOids: Record<number, number> = { 18: 25, 19: 25 };
type TResult = { fields?: { dataTypeID: number }[] } | undefined;
const asText = (result: TResult) => {
  for (const field of result?.fields ?? []) field.dataTypeID = textOids[field.dataTypeID] ?? field.dataTypeID;
  return result;
};
const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
(pg.Client.prototype as unknown as { query: unknown }).query = function (this: pg.Client, ...args: unknown[]) {
  const callback = args[args.length - 1];
  if (typeof callback === "function") args[args.length - 1] = (error: unknown, result: TResult) => callback(error, error ? result : asText(result));
  const returned = query.apply(this, args) as Promise<TResult> | undefined;
  return returned && typeof returned.then === "function" ? returned.then(asText) : returned;
};

// Discrete fields, not a connection string: the adapter derives its shadow database from them.
function pgConfig(url: string) {
  const parsed = new URL(url);
  return {
    host: decodeURIComponent(parsed.hostname),
    port: parsed.port ? Number(parsed.port) : 5432,
    user: decodeURIComponent(parsed.username),
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    database: decodeURIComponent(parsed.pathname.slice(1)),
  };
}

const url = process.env.DATABASE_URL ?? "file:./.tmp/prisma6.db";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: process.env.PRISMA_SCHEMA ?? "schema.prisma",
  adapter: async () =>
    url.startsWith("postgres")
      ? new PrismaPg(new pg.Pool({ ...pgConfig(url), idleTimeoutMillis: 100, allowExitOnIdle: true }), { disposeExternalPool: true })
      : new PrismaLibSQL({ url }),
});
