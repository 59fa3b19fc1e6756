import { beforeAll, expect, test } from "vitest";
import { getCatalogIndex, getServiceIndex, waitForChange } from "@/lib/catalog/catalog-index";
import { db } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { getDiscoveredServiceJson, getDiscoveryCatalogJson, listDiscoverableInstances, listDiscoveryCatalog } from "./discovery";
import { registerInstance } from "./register-instance";
import { ZRegisterInstance } from "./schemas";

const register = (service: string, id: string, port = 9000) =>
  registerInstance({ input: ZRegisterInstance.parse({ service, id, host: "127.0.0.1", port, check: { kind: "tcp" } }) });

beforeAll(async () => {
  await migrateDatabase();
});

// What another app process does: it commits a change (index bumped, service stamped) that this process is never told of.
async function changeElsewhere(service: string): Promise<number> {
  return db.$transaction(async (tx) => {
    const { value } = await tx.counter.update({ where: { name: "catalog" }, data: { value: { increment: 1 } } });
    await tx.service.update({ where: { name: service }, data: { modifyIndex: value } });
    return value;
  });
}

test("waiters are woken by a change made in another process, found by the shared poll, and only for their service", async () => {
  await register("poll-a", "poll-a-1");
  await register("poll-b", "poll-b-1");
  const a = await getServiceIndex({ name: "poll-a" });
  const b = await getServiceIndex({ name: "poll-b" });
  const catalog = await getCatalogIndex();
  const onA = Array.from({ length: 200 }, () => waitForChange({ service: "poll-a", index: a, waitMs: 10_000 }));
  const onB = Array.from({ length: 200 }, () => waitForChange({ service: "poll-b", index: b, waitMs: 2_000 }));
  const onCatalog = waitForChange({ index: catalog, waitMs: 10_000 });
  await new Promise((resolve) => setTimeout(resolve, 100));
  const changed = await changeElsewhere("poll-a");
  expect(new Set(await Promise.all(onA))).toEqual(new Set([changed]));
  expect(await onCatalog).toBe(changed);
  expect(new Set(await Promise.all(onB))).toEqual(new Set([undefined]));
});

test("a waiter whose index has already passed returns at once with the current index, and an aborted one with nothing", async () => {
  await register("poll-c", "poll-c-1");
  const now = await getServiceIndex({ name: "poll-c" });
  expect(await waitForChange({ service: "poll-c", index: now - 1, waitMs: 10_000 })).toBe(now);
  const stopping = new AbortController();
  const held = waitForChange({ service: "poll-c", index: now, waitMs: 10_000, signal: stopping.signal });
  stopping.abort();
  expect(await held).toBeUndefined();
});

test("discovery JSON is what the queries answer, read again once the index moves", async () => {
  await register("cached", "cached-1", 9001);
  const first = await getDiscoveredServiceJson({ name: "cached" });
  expect(JSON.parse(first.json.toString())).toEqual(await listDiscoverableInstances({ name: "cached" }));
  expect((await getDiscoveredServiceJson({ name: "cached", index: first.index })).json).toBe(first.json);
  await register("cached", "cached-2", 9002);
  const second = await getDiscoveredServiceJson({ name: "cached" });
  expect(second.index).toBeGreaterThan(first.index);
  expect(JSON.parse(second.json.toString())).toEqual(await listDiscoverableInstances({ name: "cached" }));

  const catalog = await getDiscoveryCatalogJson();
  expect(JSON.parse(catalog.json.toString())).toEqual(await listDiscoveryCatalog());
  expect(JSON.parse((await getDiscoveredServiceJson({ name: "never-registered" })).json.toString())).toMatchObject({
    service: "never-registered",
    instances: [],
  });
});

test("the whole catalog reads a fleet of 1,200 services, past SQLite's 999 bound parameters", async () => {
  const services = Array.from({ length: 1200 }, (_, i) => `fleet-${String(i).padStart(4, "0")}`);
  // Registered together, as a group commit would: one batch each of 200.
  for (let i = 0; i < services.length; i += 200) {
    await Promise.all(
      services.slice(i, i + 200).map((service, j) =>
        registerInstance({
          input: ZRegisterInstance.parse({ service, id: `${service}-1`, host: "127.0.0.1", port: 10_000 + i + j, check: { kind: "ttl", ttl: "1h" } }),
        }),
      ),
    );
  }
  const catalog = await listDiscoveryCatalog();
  const fleet = catalog.services.filter(({ service }) => service.startsWith("fleet-"));
  expect(fleet).toHaveLength(1200);
  expect(fleet.every(({ service, instances }) => instances.length === 1 && instances[0]!.id === `${service}-1`)).toBe(true);
}, 60_000);
