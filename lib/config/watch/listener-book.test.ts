import { beforeAll, expect, test } from "vitest";
import { db } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { ListenerBook } from "./listener-book";

const hour = 3_600_000;

beforeAll(async () => {
  await migrateDatabase();
});

test("writes the watches held, and removes rows of instances unseen for an hour", async () => {
  const now = Date.now();
  const row = (instanceId: string, ago: number) => ({
    namespace: "dev",
    group: "orders",
    key: "behaviour",
    instanceId,
    version: 1,
    lastSeenAt: new Date(now - ago),
  });
  // A redeploy's old instance, and one that stopped watching a minute ago (kept: it may watch again).
  await db.configListener.createMany({ data: [row("orders-old", 2 * hour), row("orders-quiet", 60_000)] });
  const book = new ListenerBook();
  const release = book.hold({
    instanceId: "orders-new",
    address: "10.0.0.9:8080",
    items: [{ namespace: "dev", group: "orders", key: "behaviour", version: 2 }],
  });
  await book.flush({ now });
  release();
  const rows = await db.configListener.findMany({ orderBy: { instanceId: "asc" }, select: { instanceId: true, version: true } });
  expect(rows).toEqual([
    { instanceId: "orders-new", version: 2 },
    { instanceId: "orders-quiet", version: 1 },
  ]);
});
