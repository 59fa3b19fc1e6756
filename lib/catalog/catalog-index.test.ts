import { beforeAll, describe, expect, test, vi } from "vitest";
import { db } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { transaction } from "@/lib/db/transaction";
import { announceCatalogChange, bumpCatalogIndex, bumpServiceIndexes, getKnownCatalogIndex, getServiceIndex } from "./catalog-index";

/** A change to the service as another app process makes it: committed, never announced here. */
async function changeElsewhere(name: string) {
  return transaction(async (tx) => {
    const index = await bumpCatalogIndex(tx);
    await tx.service.update({ where: { name }, data: { modifyIndex: index } });
    return index;
  });
}

// The kept indexes are trusted 500 ms by performance.now(), which the tests move on.
let shiftMs = 0;
const pollIntervalPasses = () => void (shiftMs += 1000);

beforeAll(async () => {
  await migrateDatabase();
  const realNow = performance.now.bind(performance);
  vi.spyOn(performance, "now").mockImplementation(() => realNow() + shiftMs);
});

describe("kept service indexes", () => {
  test("answer from memory; a change here shows at once, one made elsewhere once the poll interval passed", async () => {
    await db.service.create({ data: { name: "kept-a", modifyIndex: 0 } });
    const first = await changeElsewhere("kept-a");
    // Read once, then kept.
    expect(await getServiceIndex({ name: "kept-a" })).toBe(first);
    const second = await changeElsewhere("kept-a");
    expect(await getServiceIndex({ name: "kept-a" })).toBe(first);
    expect(await getKnownCatalogIndex()).toBeLessThan(second);
    pollIntervalPasses();
    expect(await getServiceIndex({ name: "kept-a" })).toBe(second);
    expect(await getKnownCatalogIndex()).toBe(second);

    // Announced by this process after its commit: no wait at all.
    const third = await changeElsewhere("kept-a");
    announceCatalogChange("kept-a");
    expect(await getServiceIndex({ name: "kept-a" })).toBe(third);
    expect(await getKnownCatalogIndex()).toBe(third);
  });

  test("a service not registered yet is 0 until it is, wherever it is registered", async () => {
    expect(await getServiceIndex({ name: "kept-later" })).toBe(0);
    await db.service.create({ data: { name: "kept-later", modifyIndex: 0 } });
    const index = await changeElsewhere("kept-later");
    pollIntervalPasses();
    expect(await getServiceIndex({ name: "kept-later" })).toBe(index);
  });
});

describe("bumpServiceIndexes", () => {
  test("sets every service's index, however many, and no other service's", async () => {
    const names = Array.from({ length: 450 }, (_, i) => `bumped-${String(i).padStart(3, "0")}`);
    await db.service.createMany({ data: [...names, "not-bumped"].map((name) => ({ name, modifyIndex: 0 })) });
    const ids = (await db.service.findMany({ where: { name: { in: names } }, select: { id: true } })).map(({ id }) => id);
    // Given in any order: they are taken in id order, in parts under the parameter limit.
    const index = await transaction(async (tx) => {
      const bumped = await bumpCatalogIndex(tx);
      await bumpServiceIndexes(tx, { ids: ids.toReversed(), index: bumped });
      return bumped;
    });
    expect(await db.service.count({ where: { name: { in: names }, modifyIndex: index } })).toBe(450);
    expect((await db.service.findUniqueOrThrow({ where: { name: "not-bumped" } })).modifyIndex).toBe(0);
  });
});
