import { beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { insertRows } from "@/lib/db/bulk";
import { migrateDatabase } from "@/lib/db/migrate";
import { getCatalogIndex } from "./catalog-index";
import { setInstancesHealth } from "./set-instance-health";

let next = 0;

/** Instances of a new service, passing, written straight to the database with the given stored heartbeats. */
async function instances(beats: (Date | null)[], checkKind = "ttl") {
  next += 1;
  const service = await db.service.create({ data: { name: `health-${next}` } });
  const now = new Date();
  const rows = beats.map((lastHeartbeatAt, i) => ({
    id: `health-${next}-${i}`,
    serviceId: service.id,
    instanceId: `health-${next}-${i}`,
    host: "127.0.0.1",
    port: 9000,
    health: "passing",
    checkKind,
    lastHeartbeatAt,
    updatedAt: now,
  }));
  await insertRows(db, { table: "Instance", rows });
  const ids = rows.map(({ id }) => id);
  return { service: service.name, ids };
}

const health = async (ids: string[]) => (await db.instance.findMany({ where: { id: { in: ids } }, orderBy: { instanceId: "asc" } })).map((row) => row.health);

beforeAll(async () => {
  await migrateDatabase();
});

describe("setInstancesHealth", () => {
  test("changes many instances in one catalog change, each with its health event", async () => {
    const { service, ids } = await instances([null, null, null]);
    const before = await getCatalogIndex();
    const changed = await setInstancesHealth(ids.map((id, i) => ({ id, to: "critical", reason: `reason ${i}`, detectionMs: 1000 + i })));
    expect(changed).toEqual(new Set(ids));
    expect(await getCatalogIndex()).toBe(before + 1);
    expect(await health(ids)).toEqual(["critical", "critical", "critical"]);
    const rows = await db.instance.findMany({ where: { id: { in: ids } }, orderBy: { instanceId: "asc" }, select: { healthOutput: true, modifyIndex: true } });
    expect(rows).toEqual(ids.map((_, i) => ({ healthOutput: `reason ${i}`, modifyIndex: before + 1 })));
    const events = await db.healthEvent.findMany({ where: { service }, orderBy: { instanceId: "asc" } });
    expect(events.map(({ from, to, reason, detectionMs }) => ({ from, to, reason, detectionMs }))).toEqual(
      ids.map((_, i) => ({ from: "passing", to: "critical", reason: `reason ${i}`, detectionMs: 1000 + i })),
    );
    expect((await db.service.findUniqueOrThrow({ where: { name: service } })).modifyIndex).toBe(before + 1);
  });

  test("an instance already there, or gone, changes nothing and bumps nothing", async () => {
    const { service, ids } = await instances([null]);
    const before = await getCatalogIndex();
    expect(
      await setInstancesHealth([
        { id: ids[0]!, to: "passing", reason: "again" },
        { id: "no-such-row", to: "critical", reason: "gone" },
      ]),
    ).toEqual(new Set());
    expect(await getCatalogIndex()).toBe(before);
    expect(await db.healthEvent.count({ where: { service } })).toBe(0);
  });

  test("a TTL expiry changes only instances whose stored heartbeat is older than its cutoff", async () => {
    const cutoff = new Date(Date.now() - 10_000);
    const { ids } = await instances([new Date(cutoff.getTime() - 1), new Date(cutoff.getTime()), new Date(cutoff.getTime() + 5_000), null]);
    const changed = await setInstancesHealth(ids.map((id) => ({ id, to: "critical", reason: "TTL expired", heartbeatBefore: cutoff })));
    expect(changed).toEqual(new Set([ids[0], ids[3]]));
    expect(await health(ids)).toEqual(["critical", "passing", "passing", "critical"]);
  });

  test("a TTL expiry leaves an instance with another kind of check alone", async () => {
    const { ids } = await instances([null], "http");
    expect(await setInstancesHealth([{ id: ids[0]!, to: "critical", reason: "TTL expired", heartbeatBefore: new Date() }])).toEqual(new Set());
    expect(await health(ids)).toEqual(["passing"]);
  });

  test("`unless` is asked inside the transaction and keeps only its own instance", async () => {
    const { ids } = await instances([null, null]);
    const asked: string[] = [];
    const changed = await setInstancesHealth(
      ids.map((id, i) => ({
        id,
        to: "critical",
        reason: "TTL expired",
        unless: () => {
          asked.push(id);
          return i === 0;
        },
      })),
    );
    expect(asked).toEqual(ids);
    expect(changed).toEqual(new Set([ids[1]]));
    expect(await health(ids)).toEqual(["passing", "critical"]);
  });

  test("a batch larger than a statement holds is chunked", async () => {
    const { ids } = await instances(Array.from({ length: 450 }, () => null));
    const changed = await setInstancesHealth(ids.map((id) => ({ id, to: "critical", reason: "TTL expired", heartbeatBefore: new Date() })));
    expect(changed.size).toBe(450);
    expect(await db.instance.count({ where: { id: { in: ids.slice(0, 400) }, health: "critical" } })).toBe(400);
  }, 60_000);
});
