import { createClient } from "@libsql/client";
import { execFile } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { promisify } from "node:util";
import { describe, expect, inject, test } from "vitest";

const run = promisify(execFile);
const targets = inject("targets");

async function checkSchema(databaseUrl: string) {
  try {
    const { stdout } = await run("node", ["scripts/db-schema.mjs", "check"], { env: { ...process.env, DATABASE_URL: databaseUrl } });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout + failed.stderr };
  }
}

describe("the migrated database matches prisma/schema.prisma", () => {
  test.each(targets)("on $name, migrated by the app at start", async (target) => {
    const result = await checkSchema(target.databaseUrl);
    expect(result.stdout).toContain("The database matches prisma/schema.prisma.");
    expect(result.code).toBe(0);
  });

  test("the check notices a database that drifted from the schema", async () => {
    const file = ".tmp/integration/drifted.db";
    rmSync(file, { force: true });
    const client = createClient({ url: `file:${file}` });
    const sql = readFileSync("prisma/migrations/sqlite/20261122000000_init/migration.sql", "utf8");
    // Everything but the index on audit time.
    await client.executeMultiple(sql.replace('CREATE INDEX "AuditEvent_at_idx" ON "AuditEvent"("at");', ""));
    client.close();
    const result = await checkSchema(`file:${file}`);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('CREATE INDEX "AuditEvent_at_idx"');
  });
});
