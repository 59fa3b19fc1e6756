import { createHash } from "node:crypto";
import { beforeAll, expect, test } from "vitest";
import { db } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { publishConfig } from "../publish/publish";
import { ZPublishConfig } from "../schemas";
import { getClientItem } from "./client-read";

const admin = { type: "user", id: "u-admin", name: "admin@example.com", role: "admin" } as const;
const reader = { type: "token", id: "t-1", name: "svc", grants: [{ permission: "config.read" }, { permission: "config.secrets" }] } as const;
const who = { tags: [] };
const secret = "password=hunter2";
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

beforeAll(async () => {
  await migrateDatabase();
  await db.configNamespace.upsert({ where: { name: "dev" }, create: { name: "dev" }, update: {} });
});

const publish = (key: string, content: string, baseVersion: number) =>
  publishConfig({
    actor: admin,
    ref: { namespace: "dev", group: "etag", key },
    input: ZPublishConfig.parse({ format: "text", content, message: "t", baseVersion, secret: true }),
  });
const read = (key: string) => getClientItem({ actor: reader, ref: { namespace: "dev", group: "etag", key }, who });

test("two secret items with the same content have different ETags, neither derived from the content alone", async () => {
  await publish("a", secret, 0);
  await publish("b", secret, 0);
  const [a, b] = [await read("a"), await read("b")];
  expect(a.content).toBe(secret);
  expect(a.etag).not.toBe(b.etag);
  for (const etag of [a.etag, b.etag]) {
    expect(etag).not.toContain(sha256(secret).slice(0, 16));
    expect(etag).toMatch(/^"1-[A-Za-z0-9_-]{22}"$/);
  }
  // Nor is a plain hash of the content stored for anyone to test guesses against.
  const stored = await db.configVersion.findMany({ where: { item: { group: "etag" } }, select: { sha256: true } });
  expect(stored.map((row) => row.sha256)).not.toContain(sha256(secret));
});

test("the ETag stays while the version does, and changes with a new one", async () => {
  await publish("c", secret, 0);
  const first = await read("c");
  expect((await read("c")).etag).toBe(first.etag);
  await publish("c", "password=correct-horse", 1);
  const second = await read("c");
  expect(second.version).toBe(2);
  expect(second.etag).not.toBe(first.etag);
  expect((await read("c")).etag).toBe(second.etag);
});
