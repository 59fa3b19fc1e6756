import { beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import { db } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { catalogChange } from "./catalog-change";
import { announceCatalogChange, getCatalogIndex } from "./catalog-index";

vi.mock("./catalog-index", async (importOriginal) => {
  const actual = await importOriginal<typeof import("./catalog-index")>();
  return { ...actual, announceCatalogChange: vi.fn(actual.announceCatalogChange) };
});

const announced = vi.mocked(announceCatalogChange);
let next = 0;

/** A service with two instances taking traffic, written straight to the database. */
async function service() {
  next += 1;
  const name = `catalog-${next}`;
  const { id } = await db.service.create({ data: { name } });
  for (const instanceId of [`${name}-a`, `${name}-b`])
    await db.instance.create({ data: { serviceId: id, instanceId, host: "127.0.0.1", port: 9000, health: "passing" } });
  return { name, id, instanceId: `${name}-a` };
}

beforeAll(async () => {
  await migrateDatabase();
});

beforeEach(() => {
  announced.mockClear();
});

describe("catalogChange", () => {
  test("bumps the index once however often it is asked for, and not at all when it is not", async () => {
    const start = await getCatalogIndex();
    const indexes = await catalogChange(async (_tx, change) => [await change.index(), await change.index()]);
    expect(indexes).toEqual([start + 1, start + 1]);
    expect(await getCatalogIndex()).toBe(start + 1);

    await catalogChange(async (tx) => tx.instance.count());
    expect(await getCatalogIndex()).toBe(start + 1);
  });

  test("announces each touched service once, after the change commits", async () => {
    const { name, id } = await service();
    const result = await catalogChange(async (tx, change) => {
      await tx.service.update({ where: { id }, data: { modifyIndex: await change.index() } });
      change.touched(name);
      change.touched(name);
      change.touched("catalog-other");
      expect(announced).not.toHaveBeenCalled();
      return "done";
    });
    expect(result).toBe("done");
    expect(announced.mock.calls).toEqual([[name], ["catalog-other"]]);
  });

  test("a change that fails is rolled back: no index, no traffic story, no announcement", async () => {
    const { name, id, instanceId } = await service();
    const start = await getCatalogIndex();
    const failing = catalogChange(async (tx, change) => {
      await tx.instance.update({
        where: { source_instanceId: { source: "builtin", instanceId } },
        data: { health: "critical", modifyIndex: await change.index() },
      });
      change.touched(name);
      await change.traffic({
        serviceId: id,
        service: name,
        instanceId,
        before: { weight: 100, enabled: true, health: "passing" },
        after: { weight: 100, enabled: true, health: "critical" },
        reason: "probe failed",
      });
      throw new Error("refused");
    });
    await expect(failing).rejects.toThrow("refused");
    expect(await getCatalogIndex()).toBe(start);
    expect(await db.instance.findFirstOrThrow({ where: { instanceId }, select: { health: true } })).toEqual({ health: "passing" });
    expect(await db.failoverEvent.count({ where: { service: name } })).toBe(0);
    expect(announced).not.toHaveBeenCalled();
  });

  test("records the traffic story of a change and announces its service", async () => {
    const { name, id, instanceId } = await service();
    await catalogChange(async (tx, change) => {
      await tx.instance.update({
        where: { source_instanceId: { source: "builtin", instanceId } },
        data: { health: "critical", modifyIndex: await change.index() },
      });
      await change.traffic({
        serviceId: id,
        service: name,
        instanceId,
        before: { weight: 100, enabled: true, health: "passing" },
        after: { weight: 100, enabled: true, health: "critical" },
        reason: "probe failed",
        detectionMs: 1200,
      });
    });
    const events = await db.failoverEvent.findMany({ where: { service: name } });
    expect(events).toEqual([expect.objectContaining({ kind: "failover", instanceId, reason: "probe failed", detectionMs: 1200 })]);
    expect(events[0]!.takeover).toEqual([{ id: `${name}-b`, weight: 100, share: 1 }]);
    expect(announced.mock.calls).toEqual([[name]]);
  });
});
