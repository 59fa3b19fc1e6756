import { beforeAll, expect, test } from "vitest";
import { db } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { leaseLiveMs, newCollectorId, releaseLease, renewLease } from "./lease";

beforeAll(async () => {
  await migrateDatabase();
});

test("a lease is created once, renewed in place, and lists the live collectors only", async () => {
  const id = newCollectorId();
  const stale = newCollectorId();
  const old = new Date(Date.now() - leaseLiveMs - 1000);
  await db.collectorLease.create({ data: { id: stale, host: "elsewhere", pid: 1, startedAt: old, renewedAt: old } });

  expect(await renewLease({ id })).toContain(id);
  const first = await db.collectorLease.findUniqueOrThrow({ where: { id } });
  const live = await renewLease({ id });
  expect(live).toContain(id);
  expect(live).not.toContain(stale);
  const second = await db.collectorLease.findUniqueOrThrow({ where: { id } });
  expect(second.startedAt).toEqual(first.startedAt);
  expect(second.renewedAt.getTime()).toBeGreaterThanOrEqual(first.renewedAt.getTime());
  expect(await db.collectorLease.count({ where: { id } })).toBe(1);

  await releaseLease({ id });
  await releaseLease({ id: stale });
  expect(await db.collectorLease.count({ where: { id: { in: [id, stale] } } })).toBe(0);
});
