// The etcd adapter and the sync into the catalog, against a real etcd and the real SQLite database.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { changeInstances } from "@/lib/governance/change-instances";
import { ZChangeInstances } from "@/lib/governance/schemas";
import { listDiscoverableInstances } from "@/lib/registry/discovery";
import { startEtcd, type TEtcd } from "@/tests/support/etcd";
import { applySourceChange } from "../apply-source-change";
import type { TSkipReport, TSourceChange } from "../types";
import { EtcdAdapter } from "./etcd-adapter";
import { overrideKey } from "./write-override";
import { eventually } from "@/tests/support/eventually";

const operator = { type: "user", id: "u-op", name: "op@example.com", role: "operator" } as const;
let etcd: TEtcd;

/** A source row and its adapter syncing into the catalog, with what it saw. */
async function follow(name: string, convention: "url" | "kratos" | "grpc", prefix: string) {
  await db.source.create({ data: { name, kind: "etcd", convention, endpoints: JSON.stringify([etcd.endpoint]), prefix, createdBy: "test" } });
  const changes: TSourceChange[] = [];
  const states: boolean[] = [];
  const skips: TSkipReport[] = [];
  const adapter = new EtcdAdapter({ name, kind: "etcd", convention, endpoints: [etcd.endpoint], prefix, username: null, password: null, tls: null });
  adapter.start({
    onChange: async (change) => {
      changes.push(change);
      await applySourceChange({ source: name, change });
    },
    onState: ({ connected }) => states.push(connected),
    onSkipped: (report) => skips.push(report),
  });
  return { adapter, changes, states, skips };
}

const instancesOf = (source: string) =>
  db.instance.findMany({
    where: { source },
    orderBy: { instanceId: "asc" },
    select: { instanceId: true, health: true, weight: true, weightOverride: true, port: true },
  });

beforeAll(async () => {
  await migrateDatabase();
  etcd = await startEtcd();
}, 60_000);

afterAll(async () => {
  await etcd?.stop();
});

describe("etcd source sync", () => {
  test("leased url keys appear as passing instances; an expired lease is a deregistration with a failover", async () => {
    const lease = etcd.client.lease(1);
    await lease.put("/seed/orders/orders-1").value("http://127.0.0.1:18081");
    await etcd.client.put("/seed/orders/orders-2").value("http://127.0.0.1:18082");
    const { adapter } = await follow("seed", "url", "/seed/");
    const synced = await eventually(
      () => instancesOf("seed"),
      (rows) => rows.length === 2,
    );
    expect(synced.map((row) => [row.instanceId, row.health])).toEqual([
      ["orders-1", "passing"],
      ["orders-2", "passing"],
    ]);
    // The lease is not kept alive: etcd deletes the key once its TTL runs out.
    lease.release();
    await eventually(
      () => instancesOf("seed"),
      (rows) => rows.length === 1,
      { timeoutMs: 8000 },
    );
    const failover = await db.failoverEvent.findFirst({ where: { service: "orders", instanceId: "orders-1", kind: "failover" } });
    expect(failover?.reason).toBe("removed from seed (lease expired)");
    expect(failover?.detectionMs).toEqual(expect.any(Number));
    const health = await db.healthEvent.findFirst({ where: { source: "seed", instanceId: "orders-1", to: "deregistered" } });
    expect(health).toMatchObject({ reason: "removed from seed (lease expired)", detectionMs: expect.any(Number) });
    // A leased key deleted while its lease lives is a delete, not an expiry.
    const kept = etcd.client.lease(30);
    await kept.put("/seed/orders/orders-3").value("http://127.0.0.1:18083");
    await eventually(
      () => instancesOf("seed"),
      (rows) => rows.length === 2,
    );
    await etcd.client.delete().key("/seed/orders/orders-3");
    const deleted = await eventually(
      () => db.healthEvent.findFirst({ where: { source: "seed", instanceId: "orders-3", to: "deregistered" } }),
      (row) => row !== null,
    );
    expect(deleted?.reason).toBe("removed from seed (key deleted)");
    await kept.revoke();
    await adapter.stop();
  });

  test("a Kratos weight change is written into the registration's metadata, keeping its lease and fields; reset restores it", async () => {
    const lease = etcd.client.lease(30);
    const registration = { id: "pay-1", name: "payments", version: "v1", metadata: { region: "eu" }, endpoints: ["http://127.0.0.1:18091"] };
    await lease.put("/microservices/payments/pay-1").value(JSON.stringify(registration));
    const leaseId = await lease.grant();
    const { adapter } = await follow("kratos", "kratos", "/microservices/");
    await eventually(
      () => instancesOf("kratos"),
      (rows) => rows.length === 1,
    );
    await changeInstances({
      actor: operator,
      input: ZChangeInstances.parse({ selector: { service: "payments" }, change: { weight: 40 }, force: true, reason: "test" }),
    });
    const stored = await etcd.client.get("/microservices/payments/pay-1").exec();
    const value = JSON.parse(stored.kvs[0]!.value.toString());
    expect(value).toEqual({ ...registration, metadata: { region: "eu", weight: "40", "meshdeck.registered-weight": "" } });
    expect(stored.kvs[0]!.lease).toBe(leaseId);
    await changeInstances({ actor: operator, input: ZChangeInstances.parse({ selector: { service: "payments" }, change: { reset: true } }) });
    const restored = JSON.parse((await etcd.client.get("/microservices/payments/pay-1").string()) ?? "null");
    expect(restored).toEqual(registration);
    const discovered = await listDiscoverableInstances({ name: "payments" });
    expect(discovered.instances.map((instance) => instance.weight)).toEqual([100]);
    await lease.revoke();
    await adapter.stop();
  });

  test("a url instance's drain goes under the Meshdeck prefix; the registration is untouched", async () => {
    await etcd.client.put("/plain/users/u1").value("http://127.0.0.1:18101");
    await etcd.client.put("/plain/users/u2").value("http://127.0.0.1:18102");
    const { adapter } = await follow("plain", "url", "/plain/");
    await eventually(
      () => instancesOf("plain"),
      (rows) => rows.length === 2,
    );
    await changeInstances({ actor: operator, input: ZChangeInstances.parse({ selector: { ids: ["u1"] }, change: { enabled: false } }) });
    expect(JSON.parse((await etcd.client.get(overrideKey({ service: "users", instanceId: "u1" })).string()) ?? "null")).toEqual({ enabled: false });
    expect(await etcd.client.get("/plain/users/u1").string()).toBe("http://127.0.0.1:18101");
    await changeInstances({ actor: operator, input: ZChangeInstances.parse({ selector: { ids: ["u1"] }, change: { reset: true } }) });
    expect(await etcd.client.get(overrideKey({ service: "users", instanceId: "u1" })).string()).toBeNull();
    await adapter.stop();
  });

  test("etcd going away: the adapter says so and keeps retrying; once back, a full resync writes no event for unchanged instances", async () => {
    await etcd.client.put("/outage/inventory/i1").value("http://127.0.0.1:18111");
    await etcd.client.put("/outage/inventory/i2").value("http://127.0.0.1:18112");
    const { adapter, states, changes } = await follow("outage", "url", "/outage/");
    await eventually(
      () => instancesOf("outage"),
      (rows) => rows.length === 2,
    );
    const eventsBefore = await db.healthEvent.count({ where: { source: "outage" } });
    await etcd.stopServer();
    await eventually(
      async () => states.at(-1),
      (state) => state === false,
      { timeoutMs: 10_000 },
    );
    expect((await instancesOf("outage")).length).toBe(2);
    await etcd.startServer();
    // i2 changed while Meshdeck could not see it: the resync writes that, and nothing for i1.
    await etcd.client.put("/outage/inventory/i2").value("http://127.0.0.1:18113");
    await eventually(
      () => instancesOf("outage"),
      (rows) => rows.find((row) => row.instanceId === "i2")?.port === 18113,
      { timeoutMs: 15_000 },
    );
    expect(changes.filter((change) => change.kind === "snapshot").length).toBeGreaterThanOrEqual(2);
    expect(await db.healthEvent.count({ where: { source: "outage" } })).toBe(eventsBefore);
    await adapter.stop();
  }, 40_000);

  test("the pattern /* reads the single /<service> keys only: no warning for the rest, never Meshdeck's own keys", async () => {
    await etcd.client.put("/patterned").value("http://127.0.0.1:18121");
    await etcd.client.put("/meshdeck/overrides/patterned/x").value("http://127.0.0.1:18122");
    await etcd.client.put("/deeper/than/one").value("not a url");
    const { adapter, skips, changes } = await follow("patterned", "url", "/*");
    await eventually(
      () => instancesOf("patterned"),
      (rows) => rows.length >= 1,
    );
    expect((await instancesOf("patterned")).map((row) => row.instanceId)).toContain("patterned:127.0.0.1:18121");
    const listed = changes.flatMap((change) => (change.kind === "snapshot" ? change.instances : []));
    expect(listed.every((instance) => !instance.key?.startsWith("/meshdeck/") && instance.key!.split("/").length === 2)).toBe(true);
    expect(skips.every((report) => report.count === 0)).toBe(true);
    await adapter.stop();
  });

  test("a Kratos drain is metadata weight 0; a registration Kratos puts back in its own form gets the weight again", async () => {
    const registration = { id: "re-1", name: "relet", version: "v1", metadata: { weight: "10" }, endpoints: ["http://127.0.0.1:18131"] };
    const key = "/relet/relet/re-1";
    await etcd.client.put(key).value(JSON.stringify(registration));
    const { adapter } = await follow("relet", "kratos", "/relet/");
    await eventually(
      () => instancesOf("relet"),
      (rows) => rows.length === 1,
    );
    await changeInstances({
      actor: operator,
      input: ZChangeInstances.parse({ selector: { service: "relet" }, change: { enabled: false }, force: true, reason: "drain" }),
    });
    expect(JSON.parse((await etcd.client.get(key).string())!).metadata).toEqual({ weight: "0", "meshdeck.registered-weight": "10" });
    await changeInstances({ actor: operator, input: ZChangeInstances.parse({ selector: { service: "relet" }, change: { enabled: true } }) });
    expect(JSON.parse((await etcd.client.get(key).string())!).metadata).toEqual({ weight: "10" });
    await adapter.stop();
  });
});
