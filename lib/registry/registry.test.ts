import { beforeAll, describe, expect, test } from "vitest";
import { getServiceIndex, waitForChange } from "@/lib/catalog/catalog-index";
import { db } from "@/lib/db";
import { changeInstances } from "@/lib/governance/change-instances";
import { ZChangeInstances } from "@/lib/governance/schemas";
import { migrateDatabase } from "@/lib/db/migrate";
import { recordHeartbeat, startHeartbeatTracking } from "./heartbeats";
import { listDiscoverableInstances } from "./discovery";
import { getInstance, getServiceOrThrow, registeredInstanceView } from "./service-detail";
import { deregisterInstance, registerInstance } from "./register-instance";
import { ZRegisterInstance } from "./schemas";

const operator = { type: "user", id: "u-operator", name: "operator@example.com", role: "operator" } as const;
let next = 0;
function input(overrides: Record<string, unknown> = {}) {
  next += 1;
  return ZRegisterInstance.parse({ service: `svc-${next}`, id: `inst-${next}`, host: "127.0.0.1", port: 9000 + next, ...overrides });
}

beforeAll(async () => {
  await migrateDatabase();
  await startHeartbeatTracking({ onError: (error) => console.error(error) });
});

describe("registerInstance", () => {
  test("creates the service, counts a TTL registration as a heartbeat and writes the health event", async () => {
    const registration = input({ tags: ["canary"], metadata: { version: "2" } });
    const { created } = await registerInstance({ input: registration });
    expect(created).toBe(true);
    const service = await getServiceOrThrow({ name: registration.service });
    expect(service.instances).toEqual([
      expect.objectContaining({ id: registration.id, health: "passing", weight: 100, enabled: true, tags: ["canary"], metadata: { version: "2" } }),
    ]);
    const events = await db.healthEvent.findMany({ where: { instanceId: registration.id } });
    expect(events).toEqual([expect.objectContaining({ from: "unknown", to: "passing", reason: "registered" })]);
  });

  test.each([
    { restart: "registers again", deregister: false },
    { restart: "deregisters and registers again", deregister: true },
  ])("keeps operator overrides when the instance $restart", async ({ deregister }) => {
    const registration = input({ weight: 50 });
    await registerInstance({ input: registration });
    const change = ZChangeInstances.parse({ selector: { ids: [registration.id] }, change: { weight: 0, enabled: false }, force: true, reason: "test" });
    await changeInstances({ actor: operator, input: change });
    if (deregister) await deregisterInstance({ instanceId: registration.id });
    const again = await registerInstance({ input: { ...registration, weight: 70 } });
    expect(again.created).toBe(deregister);
    const [instance] = (await getServiceOrThrow({ name: registration.service })).instances;
    expect(instance).toMatchObject({ weight: 0, enabled: false, registeredWeight: 70, overridden: true, takesTraffic: false });
  });

  test("answers the instance as it was written: what a read of it afterwards shows", async () => {
    const registration = input({ tags: ["eu", "canary"], metadata: { version: "3" }, check: { kind: "http", path: "/health" } });
    const first = await registerInstance({ input: registration });
    expect(registeredInstanceView(first.instance, first.override)).toEqual(await getInstance({ instanceId: registration.id }));
    const change = ZChangeInstances.parse({ selector: { ids: [registration.id] }, change: { weight: 5 }, force: true, reason: "test" });
    await changeInstances({ actor: operator, input: change });
    // Re-registered with a new kind of check, health and all: the operator's override and the first registration's time kept.
    const again = await registerInstance({ input: { ...registration, port: 9999, tags: [], check: { kind: "ttl", ttl: 30_000, deregisterAfter: null } } });
    const shown = registeredInstanceView(again.instance, again.override);
    expect(shown).toMatchObject({ address: "127.0.0.1:9999", weight: 5, health: "passing", healthOutput: "re-registered", override: { version: 1 } });
    expect(shown).toEqual(await getInstance({ instanceId: registration.id }));
  });

  test("refuses an id that belongs to another service", async () => {
    const registration = input();
    await registerInstance({ input: registration });
    await expect(registerInstance({ input: { ...registration, service: "elsewhere" } })).rejects.toMatchObject({ code: "conflict", field: "id" });
  });

  test("an http-checked instance starts unknown and is not discoverable until checked", async () => {
    const registration = input({ check: { kind: "http", path: "/health" } });
    await registerInstance({ input: registration });
    expect((await getServiceOrThrow({ name: registration.service })).instances[0]?.health).toBe("unknown");
    expect((await listDiscoverableInstances({ name: registration.service })).instances).toEqual([]);
    await expect(recordHeartbeat({ instanceId: registration.id })).rejects.toMatchObject({ code: "conflict" });
  });
});

describe("discovery", () => {
  test("returns only enabled, weighted, healthy instances", async () => {
    const service = "discovery-mix";
    const ids = ["mix-healthy", "mix-drained", "mix-zero", "mix-critical"];
    for (const id of ids) await registerInstance({ input: input({ service, id }) });
    await db.instance.updateMany({ where: { instanceId: "mix-drained" }, data: { enabledOverride: false } });
    await db.instance.updateMany({ where: { instanceId: "mix-zero" }, data: { weightOverride: 0 } });
    await db.instance.updateMany({ where: { instanceId: "mix-critical" }, data: { health: "critical" } });
    const { instances } = await listDiscoverableInstances({ name: service });
    expect(instances.map((instance) => instance.id)).toEqual(["mix-healthy"]);
  });

  test("waitForChange wakes a waiter when the service changes and times out otherwise", async () => {
    const registration = input();
    await registerInstance({ input: registration });
    const index = await getServiceIndex({ name: registration.service });

    let started = performance.now();
    expect(await waitForChange({ service: registration.service, index, waitMs: 300 })).toBeUndefined();
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);

    started = performance.now();
    const waiting = waitForChange({ service: registration.service, index, waitMs: 10_000 });
    await deregisterInstance({ instanceId: registration.id });
    const passed = await waiting;
    expect(performance.now() - started).toBeLessThan(1000);
    expect(passed).toBe(await getServiceIndex({ name: registration.service }));
    expect(passed).toBeGreaterThan(index);
  });
});

describe("TTL expiry", () => {
  test("an instance silent past its TTL turns critical once, and a heartbeat revives it", async () => {
    const registration = input({ check: { kind: "ttl", ttl: "2s" } });
    await registerInstance({ input: registration });
    const health = async () => (await getServiceOrThrow({ name: registration.service })).instances[0]?.health;

    await new Promise((resolve) => setTimeout(resolve, 1200));
    const beatAt = Date.now(); // before the call, which stamps the beat inside it
    await recordHeartbeat({ instanceId: registration.id });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await health()).toBe("passing"); // 2.2 s after registering, but only 1 s after the beat

    // Poll to a deadline rather than guess how late a loaded machine runs the sweep.
    while ((await health()) !== "critical" && Date.now() - beatAt < 8000) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await health()).toBe("critical");
    expect(Date.now() - beatAt).toBeGreaterThanOrEqual(2000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const expiries = await db.healthEvent.findMany({ where: { instanceId: registration.id, to: "critical" } });
    expect(expiries).toHaveLength(1);
    expect(expiries[0]?.reason).toMatch(/^TTL expired: no heartbeat for \d+\.\d s \(ttl 2 s\)$/);
    expect(expiries[0]?.detectionMs).toBeGreaterThanOrEqual(2000);

    expect(await recordHeartbeat({ instanceId: registration.id })).toEqual({ health: "passing" });
    expect(await health()).toBe("passing");
  });

  test("a heartbeat for an unknown instance asks it to register", async () => {
    await expect(recordHeartbeat({ instanceId: "never-registered" })).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("abandoned instances", () => {
  test("an instance critical past deregisterAfter is deregistered, with the reason in its last event", async () => {
    const registration = input({ check: { kind: "ttl", ttl: "1s", deregisterAfter: "1s" } });
    await registerInstance({ input: registration });
    const started = Date.now();
    let remaining = 1;
    while (remaining > 0 && Date.now() - started < 6000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      remaining = (await getServiceOrThrow({ name: registration.service })).instances.length;
    }
    expect(remaining).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    const events = await db.healthEvent.findMany({ where: { instanceId: registration.id }, orderBy: { at: "asc" } });
    expect(events.map((event) => event.to)).toEqual(["passing", "critical", "deregistered"]);
    expect(events[2]?.reason).toMatch(/^deregistered: no heartbeat for \d+ s \(deregisterAfter 1 s\)$/);
  });

  test("deregisterAfter: null keeps a critical instance", () => {
    expect(input({ check: { kind: "ttl", deregisterAfter: null } }).check).toEqual({ kind: "ttl", ttl: 3000, deregisterAfter: null });
  });
});
