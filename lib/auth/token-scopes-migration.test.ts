import { readFileSync } from "node:fs";
import { beforeAll, expect, test } from "vitest";
import { db } from "@/lib/db";
import { decodeGrants } from "@/lib/db/codecs";
import { migrateDatabase } from "@/lib/db/migrate";

// The committed migration, run on a copy of ApiToken as it was before it: every token keeps what it could do.
const migration = readFileSync("prisma/migrations/sqlite/20261208120000_token_scopes/migration.sql", "utf8").replaceAll('"ApiToken"', '"LegacyApiToken"');

beforeAll(async () => {
  await migrateDatabase();
  await db.$executeRawUnsafe(
    'CREATE TABLE "LegacyApiToken" ("id" TEXT NOT NULL PRIMARY KEY, "name" TEXT NOT NULL, "readsSecrets" BOOLEAN NOT NULL DEFAULT false)',
  );
  await db.$executeRawUnsafe(`INSERT INTO "LegacyApiToken" ("id", "name", "readsSecrets") VALUES ('a', 'service', false), ('b', 'reader', true)`);
});

test("tokens made before permissions register any service, read services, events and config, and secrets where they could", async () => {
  for (const statement of migration
    .split(";")
    .map((text) => text.replace(/--.*$/gm, "").trim())
    .filter(Boolean))
    await db.$executeRawUnsafe(statement);
  const rows = await db.$queryRawUnsafe<{ id: string; permissions: string }[]>('SELECT "id", "permissions" FROM "LegacyApiToken" ORDER BY "id"');
  const service = [{ permission: "registry.register" }, { permission: "services.read" }, { permission: "events.read" }, { permission: "config.read" }];
  expect(rows.map((row) => [row.id, decodeGrants(row.permissions)])).toEqual([
    ["a", service],
    ["b", [...service, { permission: "config.secrets" }]],
  ]);
});
