import { beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { searchConsole, searchLimits, ZSearchQuery } from "./search-console";

const viewer = { type: "user", id: "u-v", name: "v@example.com", role: "viewer" } as const;
const operator = { type: "user", id: "u-o", name: "o@example.com", role: "operator" } as const;
const token = { type: "token", id: "t-1", name: "svc", grants: [] } as const;
// The fleet the console is designed for: more instances than any parameter list could carry.
const size = 10_000;

beforeAll(async () => {
  await migrateDatabase();
  const services = await Promise.all(
    Array.from({ length: 20 }, (_, n) => db.service.create({ data: { name: `fleet-${String(n).padStart(2, "0")}`, source: "builtin" }, select: { id: true } })),
  );
  for (let start = 0; start < size; start += 2000) {
    await db.instance.createMany({
      data: Array.from({ length: 2000 }, (_, k) => {
        const i = start + k;
        return {
          serviceId: services[i % services.length]!.id,
          instanceId: `node-${String(i).padStart(5, "0")}`,
          host: `10.${Math.floor(i / 65536)}.${Math.floor(i / 256) % 256}.${i % 256}`,
          port: 8000 + (i % 7),
          tags: JSON.stringify(i === 4242 ? ["canary", "eu"] : ["eu"]),
          ...(i === 4243 ? { enabledOverride: false } : {}),
        };
      }),
    });
  }
  await db.configNamespace.upsert({ where: { name: "dev" }, create: { name: "dev" }, update: {} });
  await db.configItem.create({ data: { namespace: "dev", group: "fleet-03", key: "behaviour", format: "json", version: 1, latest: 1 } });
});

describe("searchConsole", () => {
  test("an address finds its one instance among 10,000", async () => {
    // node-04242: 10.0.16.146, port 8000 + 4242 % 7 = 8000 + 0 = 8000.
    const hits = await searchConsole({ q: "10.0.16.146:8000", actor: viewer });
    expect(hits.filter((hit) => hit.kind === "instance")).toEqual([
      { kind: "instance", label: "node-04242", detail: "fleet-02 · 10.0.16.146:8000", href: "/services/fleet-02/instances/node-04242" },
    ]);
  });

  test("a text that matches every instance answers with a capped list", async () => {
    const hits = await searchConsole({ q: "node", actor: operator });
    expect(hits.filter((hit) => hit.kind === "instance")).toHaveLength(searchLimits.instances);
    expect(hits.filter((hit) => hit.kind === "action").length).toBeLessThanOrEqual(2 * searchLimits.instances);
    expect((await searchConsole({ q: "fleet", actor: viewer })).filter((hit) => hit.kind === "service")).toHaveLength(searchLimits.services);
  });

  test("a tag opens its service's table filtered by it", async () => {
    const hits = await searchConsole({ q: "canary", actor: viewer });
    expect(hits).toContainEqual({ kind: "tag", label: "fleet-02 tagged canary", detail: "instances", href: "/services/fleet-02?tag=canary" });
  });

  test("actions only for a role that may take them: drain, or enable and reset a drained one", async () => {
    expect((await searchConsole({ q: "node-04243", actor: viewer })).filter((hit) => hit.kind === "action")).toEqual([]);
    const labels = (await searchConsole({ q: "node-04243", actor: operator })).filter((hit) => hit.kind === "action").map((hit) => [hit.label, hit.href]);
    expect(labels).toEqual([
      ["Enable node-04243…", "/services/fleet-03/instances/node-04243?change=enable"],
      ["Reset node-04243…", "/services/fleet-03/instances/node-04243?change=reset"],
    ]);
    expect((await searchConsole({ q: "node-04244", actor: operator })).find((hit) => hit.kind === "action")?.label).toBe("Drain node-04244…");
  });

  test("config keys for users who may browse config, not for API tokens", async () => {
    expect((await searchConsole({ q: "behaviour", actor: viewer })).filter((hit) => hit.kind === "config")).toEqual([
      { kind: "config", label: "fleet-03/behaviour", detail: "config · dev · v1", href: "/config/dev/fleet-03/behaviour" },
    ]);
    expect((await searchConsole({ q: "behaviour", actor: token })).filter((hit) => hit.kind === "config")).toEqual([]);
  });
});

describe("ZSearchQuery", () => {
  test.each([[""], ["   "], ["x".repeat(65)], ["a\u202Eb"]])("refuses %j", (q) => {
    expect(ZSearchQuery.safeParse({ q }).success).toBe(false);
  });
  test("refuses unknown parameters", () => {
    expect(ZSearchQuery.safeParse({ q: "a", limit: "999" }).success).toBe(false);
  });
});
