import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isPostgres } from "@/lib/env";
import { db } from "./index";

// Committed SQL migrations, one folder per database (prisma/migrations/{sqlite,postgresql}/NNNN_name),
// applied in order inside one transaction and recorded with a checksum so an edited one is caught.
// scripts/db-schema.mjs writes them (Prisma 7 cannot, offline) and proves the result matches schema.prisma.
const table = "_prisma_migrations";

export function listMigrations(provider: "sqlite" | "postgresql") {
  const dir = join(process.cwd(), "prisma", "migrations", provider);
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

// Prisma's generated SQL ends every statement with ";" at the end of a line.
export function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*(?:\n|$)/)
    .map((statement) => statement.replace(/^\s*--.*$/gm, "").trim())
    .filter(Boolean);
}

// Prisma's own bookkeeping table, so Prisma's tools see these migrations as applied.
const createTable = {
  sqlite: `CREATE TABLE IF NOT EXISTS "${table}" ("id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME,
    "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME, "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`,
  postgresql: `CREATE TABLE IF NOT EXISTS "${table}" ("id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL,
    "finished_at" TIMESTAMPTZ, "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
    "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`,
};

export async function migrateDatabase(): Promise<string[]> {
  const provider = isPostgres() ? "postgresql" : "sqlite";
  const migrations = listMigrations(provider);
  if (provider === "sqlite") await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  return db.$transaction(
    async (tx) => {
      // Several app processes may start at once; the first migrates, the others wait for it.
      if (provider === "postgresql") await tx.$executeRawUnsafe("SELECT pg_advisory_xact_lock(7337001)");
      await tx.$executeRawUnsafe(createTable[provider]);
      const rows = await tx.$queryRawUnsafe<{ migration_name: string; checksum: string }[]>(
        `SELECT "migration_name", "checksum" FROM "${table}" WHERE "rolled_back_at" IS NULL`,
      );
      const applied = new Map(rows.map((row) => [row.migration_name, row.checksum]));
      const done: string[] = [];
      for (const migration of migrations) {
        const checksum = applied.get(migration.name);
        if (checksum === migration.checksum) continue;
        if (checksum) throw new Error(`migration ${migration.name} was changed after it was applied; add a new migration instead`);
        const statements = splitStatements(migration.sql);
        for (const statement of statements) await tx.$executeRawUnsafe(statement);
        const values = provider === "postgresql" ? "$1, $2, $3, $4" : "?, ?, ?, ?";
        await tx.$executeRawUnsafe(
          `INSERT INTO "${table}" ("id", "checksum", "migration_name", "applied_steps_count", "finished_at") VALUES (${values}, CURRENT_TIMESTAMP)`,
          randomUUID(),
          migration.checksum,
          migration.name,
          statements.length,
        );
        done.push(migration.name);
      }
      return done;
    },
    { maxWait: 60_000, timeout: 120_000 },
  );
}
