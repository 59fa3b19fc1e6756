import { beforeAll, describe, expect, test } from "vitest";
import { db } from "./index";
import { listMigrations, migrateDatabase, splitStatements } from "./migrate";

describe("splitStatements", () => {
  test("splits Prisma's migration SQL into statements and drops comments", () => {
    const sql = '-- CreateTable\nCREATE TABLE "A" (\n  "id" TEXT\n);\n\n-- CreateIndex\nCREATE INDEX "A_id" ON "A"("id");\n';
    expect(splitStatements(sql)).toEqual(['CREATE TABLE "A" (\n  "id" TEXT\n)', 'CREATE INDEX "A_id" ON "A"("id")']);
  });

  test("every committed migration splits into statements on both databases", () => {
    for (const provider of ["sqlite", "postgresql"] as const) {
      for (const migration of listMigrations(provider)) {
        const statements = splitStatements(migration.sql);
        expect(statements.length).toBeGreaterThan(0);
        for (const statement of statements) expect(statement).toMatch(/^(CREATE|ALTER|DROP|INSERT|UPDATE|DELETE|PRAGMA)\b/);
      }
    }
  });
});

describe("migrateDatabase", () => {
  beforeAll(async () => {
    await migrateDatabase();
  });

  test("applies each migration once and records it the way Prisma does", async () => {
    expect(await migrateDatabase()).toEqual([]);
    const rows = await db.$queryRawUnsafe<{ migration_name: string; finished_at: unknown }[]>(
      'SELECT "migration_name", "finished_at" FROM "_prisma_migrations"',
    );
    expect(rows.map((row) => row.migration_name)).toEqual(listMigrations("sqlite").map((migration) => migration.name));
    expect(rows.every((row) => row.finished_at !== null)).toBe(true);
  });

  test("refuses to go on when an applied migration was edited", async () => {
    await db.$executeRawUnsafe('UPDATE "_prisma_migrations" SET "checksum" = \'edited\'');
    await expect(migrateDatabase()).rejects.toThrow(/was changed after it was applied/);
  });
});

// Migrations run inside one transaction, where SQLite ignores `PRAGMA foreign_keys=OFF`: dropping a
// table others reference (Prisma's "RedefineTables") would cascade-delete their rows. Use ALTER TABLE.
test("no SQLite migration drops a table that other tables reference", () => {
  const migrations = listMigrations("sqlite");
  const referenced = new Set(migrations.flatMap(({ sql }) => [...sql.matchAll(/REFERENCES "(\w+)"/g)].map((match) => match[1])));
  for (const { name, sql } of migrations) {
    const dropped = [...sql.matchAll(/DROP TABLE "(\w+)"/g)].map((match) => match[1]);
    expect(
      dropped.filter((table) => referenced.has(table)),
      name,
    ).toEqual([]);
  }
});
