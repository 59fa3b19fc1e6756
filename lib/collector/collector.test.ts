import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { registerInstance } from "@/lib/registry/register-instance";
import { ZRegisterInstance } from "@/lib/registry/schemas";
import { Collector } from "./collector";
import { deleteOldRollups, ProbeRollups } from "./probe-rollups";
import { setInstanceFlapping } from "./set-instance-flapping";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(read: () => Promise<T> | T, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await sleep(50);
  }
}

async function startHealthServer(): Promise<{ server: Server; port: number }> {
  const server = createServer((_req, res) => res.writeHead(200).end("ok"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

async function register(id: string, port: number, check: Record<string, unknown> = { kind: "http", path: "/health" }) {
  const { instance } = await registerInstance({ input: ZRegisterInstance.parse({ service: "collector-test", id, host: "127.0.0.1", port, check }) });
  return instance.id;
}

beforeAll(async () => {
  await migrateDatabase();
});

test("the jobs run in flow order, each at the interval it had before the job table", () => {
  const jobs = new Collector({ retentionDays: 30 }).jobs.map(({ name, everyMs, assigns }) => ({ name, everyMs, assigns }));
  expect(jobs).toEqual([
    { name: "health checks", everyMs: 2000, assigns: true },
    { name: "scrape targets", everyMs: 5000, assigns: true },
    { name: "source sync", everyMs: 1000, assigns: undefined },
    { name: "data planes", everyMs: 1000, assigns: undefined },
    { name: "lastCheckAt", everyMs: 5000, assigns: undefined },
    { name: "probe rollups", everyMs: 10_000, assigns: undefined },
    { name: "metric rollups", everyMs: 2000, assigns: undefined },
    { name: "1 min and 1 h metric rollups", everyMs: 10_000, assigns: undefined },
    { name: "retention", everyMs: 600_000, assigns: undefined },
    { name: "deregister critical", everyMs: 5000, assigns: undefined },
    { name: "retire abandoned services", everyMs: 5000, assigns: undefined },
    { name: "service status", everyMs: 10_000, assigns: undefined },
    { name: "alert rules", everyMs: 15_000, assigns: undefined },
  ]);
});

test("an assignment that keeps failing does not starve the others: sources are still kept and checks still assigned", async () => {
  const collector = new Collector({ retentionDays: 30 });
  let [scrapeTries, sourceRounds, checkRounds] = [0, 0, 0];
  collector.metrics.refresh = async () => {
    scrapeTries += 1;
    throw new Error("scrape targets unreadable");
  };
  const refreshSources = collector.sources.refresh.bind(collector.sources);
  collector.sources.refresh = async (options) => {
    sourceRounds += 1;
    await refreshSources(options);
  };
  type TAssigning = { assignChecks: (now: number) => Promise<void> };
  const assignChecks = (collector as unknown as TAssigning).assignChecks.bind(collector);
  (collector as unknown as TAssigning).assignChecks = async (now) => {
    checkRounds += 1;
    await assignChecks(now);
  };
  collector.start();
  try {
    await until(
      () => sourceRounds,
      (n) => n >= 2,
      10_000,
    );
  } finally {
    await collector.stop();
  }
  expect(scrapeTries).toBeGreaterThanOrEqual(2);
  expect(sourceRounds).toBeGreaterThanOrEqual(2);
  expect(checkRounds).toBeGreaterThanOrEqual(1);
});

describe("collector", () => {
  let healthy: { server: Server; port: number };
  const collectors: Collector[] = [];

  beforeAll(async () => {
    healthy = await startHealthServer();
  });

  afterAll(async () => {
    await Promise.all(collectors.map((collector) => collector.stop()));
    healthy.server.closeAllConnections();
    healthy.server.close();
  });

  test("two collectors split the instances, none checked twice; one stopping hands its share to the other", async () => {
    const ids = await Promise.all(Array.from({ length: 12 }, (_, i) => register(`split-${i}`, healthy.port)));
    const [a, b] = [new Collector({ retentionDays: 30 }), new Collector({ retentionDays: 30 })];
    collectors.push(a, b);
    a.start();
    b.start();
    const covered = () => ids.filter((id) => a.checks.has(id) || b.checks.has(id)).length;
    await until(() => a.checks.size > 0 && b.checks.size > 0 && covered() === ids.length, Boolean);
    expect(ids.filter((id) => a.checks.has(id) && b.checks.has(id))).toEqual([]);
    expect(covered()).toBe(ids.length);

    await a.stop();
    const takenOver = await until(
      () => ids.filter((id) => b.checks.has(id)).length,
      (n) => n === ids.length,
      5000,
    );
    expect(takenOver).toBe(ids.length);
    const passing = await until(
      () => db.instance.count({ where: { id: { in: ids }, health: "passing" } }),
      (n) => n === ids.length,
    );
    expect(passing).toBe(ids.length);
    await b.stop();
  });

  test("a dead instance turns critical within interval x fall + 500 ms of its last success, with the error as reason", async () => {
    const dying = await startHealthServer();
    const id = await register("dying-1", dying.port, { kind: "http", path: "/health", interval: "500ms", timeout: "300ms", fall: 2, rise: 2 });
    const collector = new Collector({ retentionDays: 30 });
    collectors.push(collector);
    collector.start();
    await until(
      () => db.instance.findUnique({ where: { id } }),
      (row) => row?.health === "passing",
    );
    dying.server.closeAllConnections();
    await new Promise((resolve) => dying.server.close(resolve));
    const event = await until(() => db.healthEvent.findFirst({ where: { instanceId: "dying-1", to: "critical" } }), Boolean, 5000);
    expect(event).toMatchObject({ from: "passing", reason: expect.stringContaining("ECONNREFUSED") });
    expect(event?.detectionMs).toBeGreaterThanOrEqual(500);
    expect(event?.detectionMs).toBeLessThanOrEqual(500 * 2 + 500);
    await collector.stop();
    const row = await db.instance.findUnique({ where: { id } });
    expect(row?.lastCheckAt).not.toBeNull();
    expect(row?.lastSuccessAt).not.toBeNull();
    expect(await db.probeRollup.count({ where: { instanceId: "dying-1" } })).toBeGreaterThan(0);
  });
});

describe("probe rollups", () => {
  const minute = Date.UTC(2026, 0, 1, 12, 0);

  test("one row per instance per finished minute; a second writer's row is merged", async () => {
    const rollups = new ProbeRollups();
    for (const [i, latencyMs] of [10, 20, 60].entries()) rollups.record({ instanceId: "r-1", service: "s", at: minute + i * 1000, failed: i === 2, latencyMs });
    rollups.record({ instanceId: "r-1", service: "s", at: minute + 60_000, failed: false, latencyMs: 5 });
    expect(await rollups.flush({ now: minute + 59_000 })).toBe(0);
    expect(await rollups.flush({ now: minute + 61_000 })).toBe(1);
    const other = new ProbeRollups();
    other.record({ instanceId: "r-1", service: "s", at: minute + 30_000, failed: true, latencyMs: 110 });
    await other.flush({ now: minute + 61_000 });
    const row = await db.probeRollup.findUnique({ where: { instanceId_minute: { instanceId: "r-1", minute: new Date(minute) } } });
    expect(row).toMatchObject({ checks: 4, failures: 2, latencyAvgMs: 50, latencyMaxMs: 110 });
  });

  test("retention deletes rollups older than the configured days", async () => {
    const old = new ProbeRollups();
    old.record({ instanceId: "r-old", service: "s", at: minute - 31 * 86_400_000, failed: false, latencyMs: 1 });
    await old.flush({ now: minute });
    expect(await deleteOldRollups({ retentionDays: 30, now: minute })).toBe(1);
    expect(await db.probeRollup.count({ where: { instanceId: "r-1" } })).toBe(1);
  });
});

test("flapping is one event when it starts and one when it ends", async () => {
  const id = await register("flappy-1", 1, { kind: "tcp" });
  expect(await setInstanceFlapping({ id, flapping: true, health: "critical", reason: "flapping" })).toBe(true);
  expect(await setInstanceFlapping({ id, flapping: true, health: "passing", reason: "flapping" })).toBe(false);
  expect(await setInstanceFlapping({ id, flapping: false, health: "passing", reason: "calmed down" })).toBe(true);
  const events = await db.healthEvent.findMany({ where: { instanceId: "flappy-1", OR: [{ to: "flapping" }, { from: "flapping" }] }, orderBy: { at: "asc" } });
  expect(events.map((e) => `${e.from}>${e.to}`)).toEqual(["critical>flapping", "flapping>passing"]);
  expect((await db.instance.findUnique({ where: { id } }))?.flapping).toBe(false);
});

test("an instance that flaps is taken out of traffic with one flapping event, not a storm", async () => {
  let healthy = true;
  // Answers alternate between 200 and 500, one probe each: a change at every check.
  const server = createServer((_req, res) => {
    healthy = !healthy;
    res.writeHead(healthy ? 200 : 500).end(healthy ? "ok" : "broken");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const id = await register("flaps-for-real", port, { kind: "http", path: "/health", interval: "150ms", timeout: "100ms", rise: 1, fall: 1 });
  const collector = new Collector({ retentionDays: 30 });
  collector.start();
  try {
    const instance = await until(
      () => db.instance.findUnique({ where: { id } }),
      (row) => row?.flapping === true,
    );
    expect(instance).toMatchObject({ flapping: true, health: "critical" });
    const count = () => db.healthEvent.count({ where: { instanceId: "flaps-for-real" } });
    const settled = await until(count, () => false, 300); // the critical move lands just after the flag
    await sleep(1500); // ten more changes of the probe's answer
    expect(await count()).toBe(settled);
    const events = await db.healthEvent.findMany({ where: { instanceId: "flaps-for-real" }, orderBy: { at: "asc" } });
    expect(events.filter((event) => event.to === "flapping")).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ to: "critical", reason: expect.stringMatching(/^flapping: 6 changes/) });
    expect(await db.failoverEvent.count({ where: { instanceId: "flaps-for-real", kind: "failover" } })).toBeGreaterThanOrEqual(1);
  } finally {
    await collector.stop();
    server.closeAllConnections();
    server.close();
  }
});
