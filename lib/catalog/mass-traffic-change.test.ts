import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { insertRows } from "@/lib/db/bulk";
import { migrateDatabase } from "@/lib/db/migrate";
import { catalogChange, catalogChangeInSteps } from "./catalog-change";
import { takeoverCap } from "./record-traffic-change";
import { trafficSelect, trafficState } from "./traffic-state";

let next = 0;

/** A service of `n` passing instances, weights 1..n (so shares differ), written straight to the database. */
async function service(n: number) {
  next += 1;
  const name = `mass-${next}`;
  const { id } = await db.service.create({ data: { name } });
  const now = new Date();
  await insertRows(db, {
    table: "Instance",
    rows: Array.from({ length: n }, (_, i) => ({
      id: randomUUID(),
      serviceId: id,
      instanceId: `${name}-${i + 1}`,
      host: "127.0.0.1",
      port: 9000,
      weight: i + 1,
      health: "passing",
      updatedAt: now,
    })),
  });
  return { name, id };
}

/** Deletes the first `count` instances of a service in one catalog change, noting each, as a source removal does. */
async function remove({ id, name }: { id: string; name: string }, count: number, reason = "lease expired") {
  await catalogChange(async (tx, change) => {
    const rows = await tx.instance.findMany({
      where: { serviceId: id },
      select: { ...trafficSelect, id: true, instanceId: true },
      orderBy: { weight: "asc" },
      take: count,
    });
    await tx.instance.deleteMany({ where: { id: { in: rows.map((row) => row.id) } } });
    for (const row of rows) await change.traffic({ serviceId: id, service: name, instanceId: row.instanceId, before: trafficState(row), after: null, reason });
  });
}

/** Marks instances critical (or passing again) in one catalog change, noting each, as a batch of health transitions does. */
async function setHealth({ id, name }: { id: string; name: string }, instanceIds: string[], to: string) {
  await catalogChange(async (tx, change) => {
    const rows = await tx.instance.findMany({
      where: { serviceId: id, instanceId: { in: instanceIds } },
      select: { ...trafficSelect, id: true, instanceId: true },
    });
    await tx.instance.updateMany({ where: { id: { in: rows.map((row) => row.id) } }, data: { health: to } });
    for (const row of rows) {
      const before = trafficState(row);
      await change.traffic({ serviceId: id, service: name, instanceId: row.instanceId, before, after: { ...before, health: to }, reason: `probe said ${to}` });
    }
  });
}

const events = (service: string) => db.failoverEvent.findMany({ where: { service }, orderBy: [{ at: "asc" }, { kind: "asc" }] });

beforeAll(async () => {
  await migrateDatabase();
  await db.webhook.create({ data: { url: "http://127.0.0.1:9/hook" } });
});

describe("a mass change tells one story", () => {
  test("1,000 of 1,050 instances leaving is one failover event with its counts and a bounded takeover, and no outage", async () => {
    const orders = await service(1050);
    await remove(orders, 1000);
    const all = await events(orders.name);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ kind: "failover", instanceId: null, leftCount: 1000, joinedCount: 0, takeoverMore: 50 - takeoverCap });
    expect(all[0]!.reason).toBe(`1,000 instances of ${orders.name} left: lease expired`);
    // The largest shares are named: the heaviest instances, 1050 down to 1031.
    expect(all[0]!.takeover.map((share) => share.id)).toEqual(Array.from({ length: takeoverCap }, (_, i) => `${orders.name}-${1050 - i}`));
    const total = Array.from({ length: 50 }, (_, i) => 1001 + i).reduce((sum, weight) => sum + weight, 0);
    expect(all[0]!.takeover[0]!.share).toBeCloseTo(1050 / total);
    // The outbox holds one delivery per event, not one per instance.
    expect(await db.webhookDelivery.count({ where: { eventId: all[0]!.id } })).toBe(1);
  });

  test("every instance leaving is one failover and one outage; many coming back is one recovery and the outage's end", async () => {
    const payments = await service(1200);
    const ids = Array.from({ length: 1200 }, (_, i) => `${payments.name}-${i + 1}`);
    await setHealth(payments, ids, "critical");
    let all = await events(payments.name);
    expect(all.map((event) => [event.kind, event.leftCount, event.takeover.length])).toEqual([
      ["failover", 1200, 0],
      ["outage", 0, 0],
    ]);
    expect(all[1]!.reason).toBe(`no instance of ${payments.name} can take traffic: 1,200 instances left (probe said critical)`);

    await setHealth(payments, ids.slice(0, 30), "passing");
    all = await events(payments.name);
    expect(all.slice(2).map((event) => [event.kind, event.joinedCount, event.takeover.length, event.takeoverMore])).toEqual([
      ["outage-end", 0, takeoverCap, 10],
      ["recovery", 30, takeoverCap, 10],
    ]);
    expect(await db.webhookDelivery.count({ where: { eventId: { in: all.map((event) => event.id) } } })).toBe(4);
  });

  test("one instance in a large service keeps its own story, with the takeover bounded", async () => {
    const big = await service(100);
    await remove(big, 1, "deregistered");
    const all = await events(big.name);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ kind: "failover", instanceId: `${big.name}-1`, reason: "deregistered", leftCount: 1, takeoverMore: 99 - takeoverCap });
    expect(all[0]!.takeover).toHaveLength(takeoverCap);
  });

  test("each service of a change tells its own story; an instance changed twice counts once", async () => {
    const [a, b] = [await service(3), await service(1)];
    await catalogChange(async (tx, change) => {
      const rows = await tx.instance.findMany({
        where: { serviceId: { in: [a.id, b.id] } },
        select: { ...trafficSelect, instanceId: true, serviceId: true },
        orderBy: { instanceId: "asc" },
      });
      const note = (instanceId: string, health: string) => {
        const row = rows.find((candidate) => candidate.instanceId === instanceId)!;
        const serviceName = row.serviceId === a.id ? a.name : b.name;
        const state = trafficState(row);
        return change.traffic({ serviceId: row.serviceId, service: serviceName, instanceId, before: state, after: { ...state, health }, reason: "probe" });
      };
      await tx.instance.updateMany({ where: { instanceId: { in: [`${a.name}-1`, `${a.name}-2`, `${b.name}-1`] } }, data: { health: "critical" } });
      await note(`${a.name}-1`, "critical");
      await note(`${a.name}-2`, "critical");
      await note(`${b.name}-1`, "critical");
      // a-3 flaps within the change and ends where it began: no story of its own.
      await note(`${a.name}-3`, "critical");
      await note(`${a.name}-3`, "passing");
    });
    expect((await events(a.name)).map((event) => [event.kind, event.instanceId, event.leftCount])).toEqual([["failover", null, 2]]);
    expect((await events(b.name)).map((event) => [event.kind, event.instanceId])).toEqual([
      ["failover", `${b.name}-1`],
      ["outage", null],
    ]);
  });

  test("a change in steps commits each step and tells one story after the last; a failing step keeps what committed", async () => {
    const steps = await service(1200);
    const rows = await db.instance.findMany({
      where: { serviceId: steps.id },
      select: { ...trafficSelect, id: true, instanceId: true },
      orderBy: { weight: "asc" },
    });
    const removeStep = (failOn?: number) => {
      let step = 0;
      return async (tx: Parameters<Parameters<typeof catalogChange>[0]>[0], change: Parameters<Parameters<typeof catalogChange>[0]>[1], part: typeof rows) => {
        step += 1;
        await tx.instance.deleteMany({ where: { id: { in: part.map((row) => row.id) } } });
        for (const row of part)
          await change.traffic({
            serviceId: steps.id,
            service: steps.name,
            instanceId: row.instanceId,
            before: trafficState(row),
            after: null,
            reason: "lease expired",
          });
        if (step === failOn) throw new Error("step refused");
      };
    };
    await catalogChangeInSteps([rows.slice(0, 500), rows.slice(500, 1000)], removeStep());
    expect(await db.instance.count({ where: { serviceId: steps.id } })).toBe(200);
    let all = await events(steps.name);
    expect(all.map((event) => [event.kind, event.leftCount, event.takeover.length, event.takeoverMore])).toEqual([
      ["failover", 1000, takeoverCap, 200 - takeoverCap],
    ]);

    // The second step fails: its instances stay, and the story tells of the first step's only.
    const failing = catalogChangeInSteps([rows.slice(1000, 1100), rows.slice(1100)], removeStep(2));
    await expect(failing).rejects.toThrow("step refused");
    expect(await db.instance.count({ where: { serviceId: steps.id } })).toBe(100);
    all = await events(steps.name);
    expect(all.slice(1).map((event) => [event.kind, event.leftCount])).toEqual([["failover", 100]]);
  });
});
