import { db, type Tx } from "@/lib/db";
import { contentDigest, keyRing, needsResealing, openSecret, sealSecret, type TKeyRing } from "./secret-box";

// The start-up step of encryption at rest: values written before it (plain text) and values sealed under a previous
// key (after a rotation) are sealed under the current key. Reads go around lib/db's extension, which would open them.

type TRaw = Record<string, string | null> & { id: string };

const page = 500;

/** Seals, under the current key, every secret column that is plain or under another key; returns how many rows changed. */
export async function resealSecrets(ring: TKeyRing = keyRing()): Promise<number> {
  let changed = 0;
  const sealed = (row: TRaw, fields: string[]) => {
    const data: Record<string, string> = {};
    for (const field of fields) {
      const value = row[field];
      if (typeof value === "string" && needsResealing(value, ring)) data[field] = sealSecret(openSecret(value, ring), ring);
    }
    return Object.keys(data).length ? data : null;
  };
  // Sources and webhooks are few: one read each.
  for (const row of await db.$queryRaw<TRaw[]>`SELECT "id", "password", "tls" FROM "Source"`) {
    const data = sealed(row, ["password", "tls"]);
    if (data)
      changed +=
        (await db.$executeRaw`UPDATE "Source" SET "password" = ${data.password ?? row.password}, "tls" = ${data.tls ?? row.tls} WHERE "id" = ${row.id}`) > 0
          ? 1
          : 0;
  }
  for (const row of await db.$queryRaw<TRaw[]>`SELECT "id", "url" FROM "Webhook"`) {
    const data = sealed(row, ["url"]);
    if (data) changed += (await db.$executeRaw`UPDATE "Webhook" SET "url" = ${data.url} WHERE "id" = ${row.id}`) > 0 ? 1 : 0;
  }
  // Versions of secret items, a page at a time; the digest is rewritten too (it was a plain sha256 before).
  for (let after = ""; ;) {
    const rows = await db.$queryRaw<TRaw[]>`SELECT v."id", v."content" FROM "ConfigVersion" v JOIN "ConfigItem" i ON i."id" = v."itemId"
      WHERE i."secret" = true AND v."id" > ${after} ORDER BY v."id" LIMIT ${page}`;
    for (const row of rows) changed += await resealVersion(db, row, ring);
    if (rows.length < page) break;
    after = rows.at(-1)!.id;
  }
  return changed;
}

async function resealVersion(client: Tx | typeof db, row: TRaw, ring: TKeyRing): Promise<number> {
  const content = row.content;
  if (typeof content !== "string" || !needsResealing(content, ring)) return 0;
  const plain = openSecret(content, ring);
  await client.$executeRaw`UPDATE "ConfigVersion" SET "content" = ${sealSecret(plain, ring)}, "sha256" = ${contentDigest(plain, ring)} WHERE "id" = ${row.id}`;
  return 1;
}

/** Seals the stored versions of an item that has just been made secret (inside the change's transaction). */
export async function sealItemVersions(tx: Tx, itemId: string, ring: TKeyRing = keyRing()): Promise<void> {
  const rows = await tx.$queryRaw<TRaw[]>`SELECT "id", "content" FROM "ConfigVersion" WHERE "itemId" = ${itemId}`;
  for (const row of rows) await resealVersion(tx, row, ring);
}
