import { beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { insertRows } from "@/lib/db/bulk";
import { writeCheckTimes, writeHeartbeats } from "./write-observations";

let serviceId = "";

beforeAll(async () => {
  await migrateDatabase();
  serviceId = (await db.service.create({ data: { name: "beats" } })).id;
});

async function instances(n: number, prefix: string) {
  const now = new Date();
  const rows = Array.from({ length: n }, (_, i) => ({
    id: `${prefix}-${i}`,
    serviceId,
    instanceId: `${prefix}-${i}`,
    host: "127.0.0.1",
    port: 9000,
    health: i % 2 === 0 ? "passing" : "critical",
    updatedAt: now,
  }));
  await insertRows(db, { table: "Instance", rows });
  return rows.map(({ id }) => id);
}

describe("writeHeartbeats", () => {
  test("writes each instance's latest beat set-based, and answers the health of those it wrote", async () => {
    const ids = await instances(900, "many");
    const at = Date.now() - 5_000;
    const health = await writeHeartbeats(ids.map((id, i) => ({ id, at: at + i })));
    expect(health.size).toBe(900);
    expect(health.get(ids[0]!)).toBe("passing");
    expect(health.get(ids[1]!)).toBe("critical");
    const rows = await db.instance.findMany({
      where: { id: { in: ids.slice(0, 3) } },
      orderBy: { id: "asc" },
      select: { lastHeartbeatAt: true, lastSuccessAt: true },
    });
    expect(rows.map((row) => [row.lastHeartbeatAt?.getTime(), row.lastSuccessAt?.getTime()])).toEqual([
      [at, at],
      [at + 1, at + 1],
      [at + 2, at + 2],
    ]);
  });

  test("never moves a stored beat back: another process may have written a newer one", async () => {
    const [id] = await instances(1, "newer");
    const at = Date.now();
    await writeHeartbeats([{ id: id!, at }]);
    await writeHeartbeats([{ id: id!, at: at - 3_000 }]);
    expect((await db.instance.findUniqueOrThrow({ where: { id: id! } })).lastHeartbeatAt?.getTime()).toBe(at);
    await writeHeartbeats([{ id: id!, at: at + 1_000 }]);
    expect((await db.instance.findUniqueOrThrow({ where: { id: id! } })).lastHeartbeatAt?.getTime()).toBe(at + 1_000);
  });

  test("leaves out instances that are no longer registered", async () => {
    const [kept, removed] = await instances(2, "removed");
    await db.instance.delete({ where: { id: removed! } });
    expect([
      ...(
        await writeHeartbeats([
          { id: kept!, at: Date.now() },
          { id: removed!, at: Date.now() },
        ])
      ).keys(),
    ]).toEqual([kept]);
    expect(await writeHeartbeats([])).toEqual(new Map());
  });
});

describe("writeCheckTimes", () => {
  test("writes a thousand instances' check times in a few statements; a failed check leaves lastSuccessAt alone", async () => {
    const ids = await instances(1000, "checked");
    const at = Date.now() - 10_000;
    await writeCheckTimes(ids.map((id, i) => ({ id, lastCheckAt: at + i, lastSuccessAt: at + i })));
    await writeCheckTimes([{ id: ids[0]!, lastCheckAt: at + 5000 }]);
    const rows = await db.instance.findMany({
      where: { id: { in: [ids[0]!, ids[999]!] } },
      orderBy: { id: "asc" },
      select: { id: true, lastCheckAt: true, lastSuccessAt: true },
    });
    const byId = new Map(rows.map((row) => [row.id, row]));
    expect(byId.get(ids[0]!)).toMatchObject({ lastCheckAt: new Date(at + 5000), lastSuccessAt: new Date(at) });
    expect(byId.get(ids[999]!)).toMatchObject({ lastCheckAt: new Date(at + 999), lastSuccessAt: new Date(at + 999) });
  });
});
