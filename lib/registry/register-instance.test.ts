import { beforeAll, describe, expect, test, vi } from "vitest";
import { getCatalogIndex } from "@/lib/catalog/catalog-index";
import { db } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { changeInstances } from "@/lib/governance/change-instances";
import { ZChangeInstances } from "@/lib/governance/schemas";
import { deregisterInstance, registerInstance } from "./register-instance";
import { ZRegisterInstance } from "./schemas";

let next = 0;
function input(overrides: Record<string, unknown> = {}) {
  next += 1;
  return ZRegisterInstance.parse({ service: `group-${next}`, id: `group-inst-${next}`, host: "127.0.0.1", port: 9000 + (next % 1000), ...overrides });
}

beforeAll(async () => {
  await migrateDatabase();
});

describe("group commit of registrations", () => {
  test("registrations arriving together share one transaction and one index bump, and each is answered", async () => {
    const before = await getCatalogIndex();
    const inputs = Array.from({ length: 60 }, (_, i) => input({ service: `together-${i % 4}` }));
    const results = await Promise.all(inputs.map((registration) => registerInstance({ input: registration })));
    expect(results.map((result) => [result.instance.instanceId, result.created])).toEqual(inputs.map((registration) => [registration.id, true]));
    expect(await getCatalogIndex()).toBe(before + 1);
    expect(await db.instance.count({ where: { instanceId: { in: inputs.map(({ id }) => id) } } })).toBe(60);
    const events = await db.healthEvent.count({ where: { instanceId: { in: inputs.map(({ id }) => id) }, reason: "registered" } });
    expect(events).toBe(60);
  });

  test("more than a batch holds goes in several, every query under the parameter limit", async () => {
    const before = await getCatalogIndex();
    const inputs = Array.from({ length: 1_100 }, () => input({ service: "one-big-service" }));
    await Promise.all(inputs.map((registration) => registerInstance({ input: registration })));
    const after = await getCatalogIndex();
    expect(after - before).toBe(Math.ceil(1_100 / 200));
    expect(await db.instance.count({ where: { service: { name: "one-big-service" } } })).toBe(1_100);
    // Registered again: every row is updated, none doubled.
    const again = await Promise.all(inputs.map((registration) => registerInstance({ input: { ...registration, weight: 7 } })));
    expect(again.every((result) => !result.created && result.instance.weight === 7)).toBe(true);
    expect(await db.instance.count({ where: { service: { name: "one-big-service" }, weight: 7 } })).toBe(1_100);
  }, 60_000);

  test("new instances of existing services take the index last: their rows and services carry it, answered and stored", async () => {
    const first = input({ service: "stamped-late" });
    await registerInstance({ input: first });
    const before = await getCatalogIndex();
    const inputs = Array.from({ length: 30 }, () => input({ service: "stamped-late" }));
    const results = await Promise.all(inputs.map((registration) => registerInstance({ input: registration })));
    expect(await getCatalogIndex()).toBe(before + 1);
    expect(results.every((result) => result.created && result.instance.modifyIndex === before + 1)).toBe(true);
    const rows = await db.instance.findMany({ where: { instanceId: { in: inputs.map(({ id }) => id) } }, select: { modifyIndex: true } });
    expect(rows.map((row) => row.modifyIndex)).toEqual(inputs.map(() => before + 1));
    const service = await db.service.findUniqueOrThrow({ where: { name: "stamped-late" }, select: { modifyIndex: true } });
    expect(service.modifyIndex).toBe(before + 1);
  });

  test("new instances of new services take the index last too: the services and their rows carry it", async () => {
    const before = await getCatalogIndex();
    const inputs = Array.from({ length: 12 }, (_, i) => input({ service: `born-late-${i % 3}` }));
    await Promise.all(inputs.map((registration) => registerInstance({ input: registration })));
    const index = await getCatalogIndex();
    expect(index).toBeGreaterThan(before);
    const services = await db.service.findMany({ where: { name: { startsWith: "born-late-" } }, select: { modifyIndex: true } });
    expect(services.map(({ modifyIndex }) => modifyIndex)).toEqual([index, index, index]);
    const rows = await db.instance.findMany({ where: { instanceId: { in: inputs.map(({ id }) => id) } }, select: { modifyIndex: true } });
    expect(rows.map(({ modifyIndex }) => modifyIndex)).toEqual(inputs.map(() => index));
  });

  test("an id registered to another service fails only its own caller", async () => {
    const taken = input({ service: "owner" });
    await registerInstance({ input: taken });
    const others = Array.from({ length: 5 }, () => input({ service: "bystanders" }));
    const results = await Promise.allSettled([
      ...others.slice(0, 2).map((registration) => registerInstance({ input: registration })),
      registerInstance({ input: { ...taken, service: "thief" } }),
      ...others.slice(2).map((registration) => registerInstance({ input: registration })),
    ]);
    expect(results.map((result) => result.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled", "fulfilled", "fulfilled"]);
    expect(results[2]).toMatchObject({ status: "rejected", reason: { code: "conflict", field: "id" } });
    expect(await db.instance.count({ where: { instanceId: { in: others.map(({ id }) => id) } } })).toBe(5);
    const owner = await db.instance.findFirstOrThrow({ where: { instanceId: taken.id }, select: { service: { select: { name: true } } } });
    expect(owner.service.name).toBe("owner");
    expect(await db.service.count({ where: { name: "thief" } })).toBe(0);
  });

  test("a register then a deregister of one id, sent together, apply in that order", async () => {
    const registration = input();
    const [registered, deregistered] = await Promise.allSettled([
      registerInstance({ input: registration }),
      deregisterInstance({ instanceId: registration.id }),
    ]);
    expect(registered.status).toBe("fulfilled");
    expect(deregistered.status).toBe("fulfilled");
    expect(await db.instance.count({ where: { instanceId: registration.id } })).toBe(0);
    const events = await db.healthEvent.findMany({ where: { instanceId: registration.id }, orderBy: { at: "asc" }, select: { to: true } });
    expect(events.map(({ to }) => to)).toEqual(["passing", "deregistered"]);
  });

  test("a deregister then a register of one id, sent together, leave it registered", async () => {
    const registration = input();
    await registerInstance({ input: registration });
    const [deregistered, registered] = await Promise.allSettled([
      deregisterInstance({ instanceId: registration.id }),
      registerInstance({ input: registration }),
    ]);
    expect(deregistered.status).toBe("fulfilled");
    expect(registered).toMatchObject({ status: "fulfilled", value: { created: true } });
    expect(await db.instance.count({ where: { instanceId: registration.id } })).toBe(1);
  });

  test("deregistering an unknown id fails alone", async () => {
    const registration = input();
    const results = await Promise.allSettled([deregisterInstance({ instanceId: "nobody-here" }), registerInstance({ input: registration })]);
    expect(results[0]).toMatchObject({ status: "rejected", reason: { code: "not_found" } });
    expect(results[1].status).toBe("fulfilled");
  });

  test("an operator's change between the batch's read and its write is kept: the batch runs again, read under the lock", async () => {
    const registration = input({ weight: 50 });
    await registerInstance({ input: registration });
    const operator = { type: "user", id: "u-operator", name: "operator@example.com", role: "operator" } as const;
    const change = ZChangeInstances.parse({ selector: { ids: [registration.id] }, change: { weight: 3 }, force: true, reason: "test" });
    const read = db.instance.findMany.bind(db.instance);
    // The batch reads its rows, and the operator's change commits before the batch writes.
    const spy = vi.spyOn(db.instance, "findMany").mockImplementationOnce((async (args: Parameters<typeof read>[0]) => {
      const rows = await read(args);
      await changeInstances({ actor: operator, input: change });
      return rows;
    }) as unknown as typeof read);
    try {
      const again = await registerInstance({ input: { ...registration, weight: 70 } });
      expect(spy).toHaveBeenCalled();
      expect(again.instance).toMatchObject({ weight: 70, weightOverride: 3 });
    } finally {
      spy.mockRestore();
    }
    expect(await db.instance.findFirstOrThrow({ where: { instanceId: registration.id } })).toMatchObject({ weight: 70, weightOverride: 3 });
  });
});
