import { beforeAll, expect, test } from "vitest";
import { db } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { resealSecrets } from "./reseal-secrets";
import { keyRing, keyRingOf, openSecret, parseKey, sealSecret } from "./secret-box";

const raw = async (sql: string) => (await db.$queryRawUnsafe<Record<string, string | null>[]>(sql))[0]!;

beforeAll(async () => {
  await migrateDatabase();
});

test("rows written before encryption are sealed at start, and still read as they were", async () => {
  await db.$executeRawUnsafe(
    `INSERT INTO "Source" ("id", "name", "kind", "convention", "endpoints", "prefix", "username", "password", "tls", "createdBy", "updatedAt")
     VALUES ('s-old', 'old', 'etcd', 'url', '["127.0.0.1:2379"]', '/services', 'root', 'plain-password', '{"ca":"-----BEGIN CERTIFICATE-----","key":"KEY"}', 'test', CURRENT_TIMESTAMP)`,
  );
  await db.$executeRawUnsafe(`INSERT INTO "Webhook" ("id", "url") VALUES ('w-old', 'https://hooks.example/T000/B000/secret-token')`);
  await db.$executeRawUnsafe(
    `INSERT INTO "ConfigItem" ("id", "namespace", "group", "key", "format", "secret", "version", "latest", "updatedAt") VALUES ('i-old', 'dev', 'old', 'db', 'text', true, 1, 1, CURRENT_TIMESTAMP)`,
  );
  await db.$executeRawUnsafe(
    `INSERT INTO "ConfigVersion" ("id", "itemId", "version", "content", "sha256", "format", "author", "message", "kind") VALUES ('v-old', 'i-old', 1, 'password=plain', 'x', 'text', 'a', 'm', 'publish')`,
  );

  expect(await resealSecrets()).toBe(3);
  const source = await raw(`SELECT "password", "tls" FROM "Source" WHERE "id" = 's-old'`);
  const webhook = await raw(`SELECT "url" FROM "Webhook" WHERE "id" = 'w-old'`);
  const version = await raw(`SELECT "content", "sha256" FROM "ConfigVersion" WHERE "id" = 'v-old'`);
  for (const stored of [source.password, source.tls, webhook.url, version.content]) expect(stored).toMatch(/^enc:v1:/);
  expect(version.sha256).not.toBe("x");

  // Reads through lib/db see the values as written.
  expect(await db.source.findUnique({ where: { id: "s-old" }, select: { password: true, tls: true } })).toEqual({
    password: "plain-password",
    tls: { ca: "-----BEGIN CERTIFICATE-----", key: "KEY" },
  });
  expect((await db.webhook.findUnique({ where: { id: "w-old" } }))?.url).toBe("https://hooks.example/T000/B000/secret-token");
  expect((await db.configItem.findUnique({ where: { id: "i-old" }, include: { versions: true } }))?.versions[0]?.content).toBe("password=plain");

  // Nothing left to do on the next start.
  expect(await resealSecrets()).toBe(0);

  // A rotation: the old key becomes previous, and start-up seals everything under the new one.
  const rotated = keyRingOf(parseKey(Buffer.alloc(32, 7).toString("base64"), "new"), [keyRing().current]);
  expect(await resealSecrets(rotated)).toBe(3);
  const after = await raw(`SELECT "password" FROM "Source" WHERE "id" = 's-old'`);
  expect(after.password).toMatch(new RegExp(`^enc:v1:${rotated.current.id}:`));
  expect(openSecret(after.password!, rotated)).toBe("plain-password");
  // Put back under the process key, for the reads of other tests.
  await db.$executeRawUnsafe(`UPDATE "Source" SET "password" = '${sealSecret("plain-password")}' WHERE "id" = 's-old'`);
});
