import { beforeAll, expect, test } from "vitest";
import { getCatalogIndex } from "@/lib/catalog/catalog-index";
import { db } from "@/lib/db";
import { insertRows } from "@/lib/db/bulk";
import { migrateDatabase } from "@/lib/db/migrate";
import { HealthWrites } from "./health-writes";

beforeAll(async () => {
  await migrateDatabase();
});

async function instances(prefix: string, n: number) {
  const service = await db.service.create({ data: { name: prefix } });
  const now = new Date();
  const rows = Array.from({ length: n }, (_, i) => ({
    id: `${prefix}-${i}`,
    serviceId: service.id,
    instanceId: `${prefix}-${i}`,
    host: "127.0.0.1",
    port: 9000,
    health: "unknown",
    checkKind: "http",
    updatedAt: now,
  }));
  await insertRows(db, { table: "Instance", rows });
  return rows.map(({ id }) => id);
}

async function until(done: () => Promise<boolean>) {
  for (let i = 0; i < 200 && !(await done()); i += 1) await new Promise((resolve) => setTimeout(resolve, 25));
}

test("a thousand changes decided together are written in a few transactions, not one each", async () => {
  const ids = await instances("warm", 1000);
  const writes = new HealthWrites((id) => id);
  const before = await getCatalogIndex();
  for (const id of ids) writes.add(id, { kind: "health", to: "passing", reason: "HTTP 200: ok" });
  await until(async () => writes.size === 0);
  const events = await db.healthEvent.findMany({ where: { instanceId: { startsWith: "warm-" }, to: "passing" }, select: { at: true } });
  expect(events).toHaveLength(1000);
  // Each transaction bumps the catalog index once and stamps its events with one time.
  expect((await getCatalogIndex()) - before).toBeLessThanOrEqual(2);
  expect(new Set(events.map((event) => event.at.getTime())).size).toBeLessThanOrEqual(2 * 5);
});

test("one instance's changes are written in the order decided; a flapping start goes with its health", async () => {
  const [id] = await instances("ordered", 1);
  const writes = new HealthWrites((i) => i);
  writes.add(id!, { kind: "health", to: "passing", reason: "up" });
  writes.add(id!, { kind: "health", to: "critical", reason: "down", detectionMs: 2000 });
  writes.add(id!, { kind: "flapping", on: true, health: "critical", reason: "flapping: 6 changes" });
  writes.add(id!, { kind: "health", to: "critical", reason: "flapping: 6 changes" });
  writes.add(id!, { kind: "health", to: "passing", reason: "up again" });
  await until(async () => writes.size === 0);
  const events = await db.healthEvent.findMany({ where: { instanceId: "ordered-0" }, orderBy: [{ at: "asc" }, { id: "asc" }] });
  // The queue keeps the latest health behind the one in flight; the flapping flag and its health land together.
  expect(events.map((event) => `${event.from}>${event.to}`)).toEqual(["unknown>passing", "passing>critical", "critical>flapping", "critical>passing"]);
  expect(await db.instance.findUnique({ where: { id: id! }, select: { flapping: true, health: true } })).toEqual({ flapping: true, health: "passing" });
});

test("another write of the same rows runs between health batches, never beside one", async () => {
  const ids = await instances("turns", 3);
  const writes = new HealthWrites((id) => id);
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  // Holds the turn as a lastCheckAt write would, while health changes are decided meanwhile.
  const other = writes.exclusive(() => held);
  for (const id of ids) writes.add(id, { kind: "health", to: "passing", reason: "HTTP 200: ok" });
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(await db.instance.count({ where: { id: { in: ids }, health: "passing" } })).toBe(0);
  release();
  await other;
  await until(async () => writes.size === 0);
  expect(await db.instance.count({ where: { id: { in: ids }, health: "passing" } })).toBe(3);
});
