import { beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { changeInstances, previewInstanceChange } from "@/lib/governance/change-instances";
import { ZChangeInstances } from "@/lib/governance/schemas";
import type { TInstancePageQuery } from "./instance-page";
import { getOverview, getServiceOrThrow, listFleetTags, serviceSummarySelect, summarizeServices } from "./service-detail";

const operator = { type: "user", id: "u-op", name: "op@example.com", role: "operator" } as const;
const size = 1200;
const service = "big";
// Ids sort as text: big-0001 ... big-1200.
const idOf = (i: number) => `${service}-${String(i).padStart(4, "0")}`;
const healthOf = (i: number) => (i % 10 === 0 ? "critical" : i % 25 === 1 ? "warning" : "passing");

beforeAll(async () => {
  await migrateDatabase();
  const { id: serviceId } = await db.service.create({ data: { name: service, source: "builtin" } });
  await db.service.create({ data: { name: "small", source: "builtin", instances: { create: [{ instanceId: "small-1", host: "10.9.0.1", port: 80 }] } } });
  // More rows than SQLite binds parameters (999): every query of the page must hold whatever the size.
  await db.instance.createMany({
    data: Array.from({ length: size }, (_, n) => {
      const i = n + 1;
      return {
        serviceId,
        instanceId: idOf(i),
        host: `10.0.${Math.floor(i / 250)}.${i % 250}`,
        port: 8080,
        tags: JSON.stringify(i % 3 === 0 ? ["canary", "eu"] : ["eu"]),
        health: healthOf(i),
        // Every 100th is drained by an operator.
        ...(i % 100 === 0 ? { enabledOverride: false, weightOverride: 0 } : {}),
      };
    }),
  });
  await db.instanceOverride.createMany({
    data: Array.from({ length: size / 100 }, (_, n) => ({ instanceId: idOf((n + 1) * 100), service, enabled: false, weight: 0, version: 3, updatedBy: "op" })),
  });
});

async function pageThrough(query: Partial<TInstancePageQuery>) {
  const seen: string[] = [];
  let cursor: TInstancePageQuery["cursor"];
  for (let pages = 0; pages < 100; pages++) {
    const page = await getServiceOrThrow({ name: service, query: { ...query, cursor } });
    seen.push(...page.instances.map((instance) => instance.id));
    if (!page.nextCursor) return seen;
    const [rowId, instanceId] = atob(page.nextCursor.replaceAll("-", "+").replaceAll("_", "/")).split(" ");
    cursor = { rowId: rowId!, instanceId: instanceId! };
  }
  throw new Error("more than 100 pages");
}

describe("getServiceOrThrow", () => {
  test("counts every instance in SQL and answers one page, with the overrides of its rows", async () => {
    const detail = await getServiceOrThrow({ name: service });
    const critical = Array.from({ length: size }, (_, n) => healthOf(n + 1)).filter((health) => health === "critical").length;
    const warning = Array.from({ length: size }, (_, n) => healthOf(n + 1)).filter((health) => health === "warning").length;
    expect(detail.service.counts).toEqual({
      total: size,
      passing: size - critical - warning,
      warning,
      critical,
      unknown: 0,
      drained: 12,
      overridden: 12,
      // The drained ones are all critical already (every 100th is a 10th).
      takingTraffic: size - critical,
      matching: size,
    });
    expect(detail.service.tags).toEqual(["canary", "eu"]);
    expect(detail.instances).toHaveLength(100);
    expect(detail.instances[0]).toMatchObject({ id: idOf(1), tags: ["eu"], override: { version: 0 } });
    expect(detail.instances.find((instance) => instance.id === idOf(100))).toMatchObject({ enabled: false, overridden: true, override: { version: 3 } });
    expect(detail.nextCursor).toEqual(expect.any(String));
  });

  test.each([100, 500, 1000])("pages of %i see every instance once, in order", async (limit) => {
    const seen = await pageThrough({ limit });
    expect(seen).toHaveLength(size);
    expect(seen).toEqual(Array.from({ length: size }, (_, n) => idOf(n + 1)));
  });

  test.each([
    ["a tag by search", { q: "canary" }, size / 3],
    ["a tag exactly", { tag: "canary" }, size / 3],
    ["a host part", { q: "10.0.4." }, 201],
    ["an id", { q: "big-000" }, 9],
    ["critical", { health: "critical" as const }, size / 10],
    ["drained", { enabled: false }, 12],
    ["enabled canaries", { tag: "canary", enabled: true }, size / 3 - 4],
  ])("filters %s: the count and the pages agree", async (_name, filter, expected) => {
    const detail = await getServiceOrThrow({ name: service, query: { ...filter, limit: 1 } });
    expect(detail.service.counts.matching).toBe(expected);
    expect(detail.service.counts.total).toBe(size);
    expect(await pageThrough({ ...filter, limit: 150 })).toHaveLength(expected);
  });

  test("an unknown service is a 404", async () => {
    await expect(getServiceOrThrow({ name: "nope" })).rejects.toMatchObject({ code: "not_found" });
  });
});

test("summarizeServices, listFleetTags and getOverview count in SQL", async () => {
  const services = await summarizeServices(await db.service.findMany({ orderBy: { name: "asc" }, select: serviceSummarySelect }));
  expect(services.find((each) => each.name === service)).toMatchObject({ instances: { total: size, critical: size / 10 }, tags: ["canary", "eu"] });
  expect(services.find((each) => each.name === "small")).toMatchObject({ instances: { total: 1, unknown: 1 }, tags: [] });
  expect(await listFleetTags()).toEqual(["canary", "eu"]);
  const overview = await getOverview();
  expect(overview.instances.total).toBe(size + 1);
  expect(overview.drained).toBe(12);
});

test("a change by selector previews the count with a bounded preview, and drains what it picks", async () => {
  const preview = await previewInstanceChange({
    input: ZChangeInstances.parse({ selector: { service, tag: "canary", health: "passing" }, change: { enabled: false } }),
  });
  const canaries = (await getServiceOrThrow({ name: service, query: { tag: "canary", health: "passing", limit: 1 } })).service.counts.matching;
  expect(preview.selected).toBe(canaries);
  const [shown] = preview.services;
  expect(shown?.instances.length).toBeLessThanOrEqual(30);
  expect(shown?.more?.count).toBe(size - (shown?.instances.length ?? 0));
  expect(shown?.capacity).toEqual({ total: size, before: size - size / 10, after: size - size / 10 - canaries });

  // Applied to fewer: each drained instance still writes its own traffic story (lib/catalog), which is slow by the hundred.
  const input = ZChangeInstances.parse({ selector: { service, tag: "canary", health: "passing", q: "big-00" }, change: { enabled: false }, reason: "test" });
  const picked = (await getServiceOrThrow({ name: service, query: { tag: "canary", health: "passing", q: "big-00", limit: 1 } })).service.counts.matching;
  expect(picked).toBeGreaterThan(20);
  const result = await changeInstances({ actor: operator, input });
  expect(result.changed).toHaveLength(picked);
  const after = await getServiceOrThrow({ name: service, query: { tag: "canary", enabled: false, limit: 1 } });
  expect(after.service.counts.drained).toBe(12 + picked);
  expect(after.service.counts.matching).toBe(4 + picked);
  expect(after.service.counts.takingTraffic).toBe(size - size / 10 - picked);
});
