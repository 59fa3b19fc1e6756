import { beforeAll, describe, expect, test } from "vitest";
import { bumpCatalogIndex } from "@/lib/catalog/catalog-index";
import { writeHeartbeats } from "@/lib/catalog/write-observations";
import { db } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { beatState, markBeat, scheduleBeat, trackInstance } from "./beat-state";
import { flushHeartbeats, loadTtlInstances, recordHeartbeat, setTtlStatus, storeEveryMs, sweepBeats } from "./heartbeats";
import { registerInstance } from "./register-instance";
import { ZRegisterInstance } from "./schemas";

// The sweeper and the flusher are not started here: each test runs them by hand, at the moment it means to.
let next = 0;
async function register(ttl = "1s") {
  next += 1;
  const input = ZRegisterInstance.parse({ service: `beats-${next}`, id: `beats-${next}`, host: "127.0.0.1", port: 9000, check: { kind: "ttl", ttl } });
  const { instance } = await registerInstance({ input });
  return { instanceId: input.id, id: instance.id };
}

const stored = (id: string) => db.instance.findUniqueOrThrow({ where: { id }, select: { health: true, lastHeartbeatAt: true } });

/** The instance last beat `agoMs` ago, as far as this process and the database know. */
async function silence(instanceId: string, id: string, agoMs: number) {
  const at = Date.now() - agoMs;
  await db.instance.update({ where: { id }, data: { lastHeartbeatAt: new Date(at) } });
  const beat = beatState.beats.get(instanceId)!;
  beat.lastBeatAt = at;
  scheduleBeat(instanceId, beat);
}

beforeAll(async () => {
  await migrateDatabase();
});

describe("heartbeats", () => {
  test("a beat of a known passing instance stays in memory until the flush writes it", async () => {
    const { instanceId, id } = await register();
    const registeredAt = (await stored(id)).lastHeartbeatAt!.getTime();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await recordHeartbeat({ instanceId })).toEqual({ health: "passing" });
    const beatAt = beatState.beats.get(instanceId)!.lastBeatAt;
    expect(beatAt).toBeGreaterThan(registeredAt);
    expect((await stored(id)).lastHeartbeatAt!.getTime()).toBe(registeredAt);
    await flushHeartbeats();
    expect((await stored(id)).lastHeartbeatAt!.getTime()).toBe(beatAt);
  });

  test("on SQLite an instance's beat is written once per storeEveryMs; a later one waits, noted, for its turn", async () => {
    expect(storeEveryMs(60_000)).toBeGreaterThan(0);
    const { instanceId, id } = await register("1m");
    await recordHeartbeat({ instanceId });
    await flushHeartbeats();
    const firstAt = (await stored(id)).lastHeartbeatAt!.getTime();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await recordHeartbeat({ instanceId });
    const beat = beatState.beats.get(instanceId)!;
    expect(beat.lastBeatAt).toBeGreaterThan(firstAt);
    await flushHeartbeats();
    expect((await stored(id)).lastHeartbeatAt!.getTime()).toBe(firstAt);
    // storeEveryMs passes.
    beat.writtenAt -= storeEveryMs(beat.ttlMs);
    await flushHeartbeats();
    expect((await stored(id)).lastHeartbeatAt!.getTime()).toBe(beat.lastBeatAt);
  });

  test("on SQLite a flush writes at most 2,000 beats; the rest wait, noted, for the next", async () => {
    const ids = Array.from({ length: 2_001 }, (_, i) => `capped-${i}`);
    for (const [i, instanceId] of ids.entries()) {
      const at = Date.now();
      const beat = trackInstance({
        instanceId,
        id: `capped-row-${i}`,
        ttlMs: 60_000,
        deregisterAfterMs: null,
        health: "passing",
        lastBeatAt: at,
        shared: false,
      });
      markBeat(instanceId, beat, at);
    }
    const waiting = () => ids.filter((instanceId) => beatState.beats.get(instanceId)?.dirty).length;
    await flushHeartbeats();
    // Written (and, stored nowhere, forgotten) at most 2,000.
    expect(waiting()).toBeGreaterThanOrEqual(1);
    await flushHeartbeats();
    expect(waiting()).toBe(0);
  });

  test("the flush revives an instance another process declared critical while it beat here", async () => {
    const { instanceId, id } = await register("1m");
    await db.instance.update({ where: { id }, data: { health: "critical" } });
    expect(await recordHeartbeat({ instanceId })).toEqual({ health: "passing" });
    await flushHeartbeats();
    expect((await stored(id)).health).toBe("passing");
    const events = await db.healthEvent.findMany({ where: { instanceId }, orderBy: { at: "asc" }, select: { to: true, reason: true } });
    expect(events.at(-1)).toEqual({ to: "passing", reason: "heartbeat received" });
  });

  test.each(["critical", "warning"] as const)("a check its client set %s after a beat stays so: the flush of that beat does not revive it", async (status) => {
    const { instanceId, id } = await register("1m");
    // The client's pass, then its fail (Consul's check/pass, check/fail), both before the next flush.
    await recordHeartbeat({ instanceId });
    await setTtlStatus({ instanceId, id, status, reason: "disk full" });
    await flushHeartbeats();
    expect((await stored(id)).health).toBe(status);
    // The next pass revives it.
    expect(await recordHeartbeat({ instanceId })).toEqual({ health: "passing" });
    expect((await stored(id)).health).toBe("passing");
  });

  test("the flush forgets an instance another process deregistered: its next beat asks it to register", async () => {
    const { instanceId, id } = await register("1m");
    await db.instance.delete({ where: { id } });
    await recordHeartbeat({ instanceId });
    await flushHeartbeats();
    await expect(recordHeartbeat({ instanceId })).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("TTL sweep", () => {
  test("expires the instances silent past their TTL in one batch, and only those", async () => {
    const silent = [await register(), await register()];
    const beating = await register();
    for (const { instanceId, id } of silent) await silence(instanceId, id, 5_000);
    await sweepBeats();
    expect((await stored(silent[0]!.id)).health).toBe("critical");
    expect((await stored(silent[1]!.id)).health).toBe("critical");
    expect((await stored(beating.id)).health).toBe("passing");
    const events = await db.healthEvent.findMany({ where: { instanceId: { in: silent.map(({ instanceId }) => instanceId) }, to: "critical" } });
    expect(events).toHaveLength(2);
    expect(events[0]?.reason).toMatch(/^TTL expired: no heartbeat for 5\.\d s \(ttl 1 s\)$/);
    // Swept again: nothing more to say.
    await sweepBeats();
    expect(await db.healthEvent.count({ where: { instanceId: { in: silent.map(({ instanceId }) => instanceId) }, to: "critical" } })).toBe(2);
  });

  test("a beat another process wrote to the database keeps the instance passing, and is learned", async () => {
    const { instanceId, id } = await register();
    await silence(instanceId, id, 5_000);
    const elsewhere = Date.now();
    await writeHeartbeats([{ id, at: elsewhere }]);
    await sweepBeats();
    expect((await stored(id)).health).toBe("passing");
    expect(beatState.beats.get(instanceId)?.lastBeatAt).toBe(elsewhere);
  });

  test("instances registered through another process are loaded, with one TTL of grace from this process's start", async () => {
    const service = await db.service.create({ data: { name: `beats-elsewhere-${next}` } });
    const index = await db.$transaction((tx) => bumpCatalogIndex(tx));
    const longAgo = new Date(Date.now() - 60_000);
    const row = await db.instance.create({
      data: {
        serviceId: service.id,
        instanceId: `elsewhere-${next}`,
        host: "127.0.0.1",
        port: 9000,
        health: "passing",
        checkTtlMs: 1000,
        lastHeartbeatAt: longAgo,
        modifyIndex: index,
      },
    });
    beatState.startedAt = Date.now();
    await loadTtlInstances();
    const beat = beatState.beats.get(row.instanceId)!;
    expect(beat).toMatchObject({ id: row.id, ttlMs: 1000, health: "passing", lastBeatAt: beatState.startedAt });
    await sweepBeats();
    expect((await stored(row.id)).health).toBe("passing");
    // The grace over, silence is silence.
    beat.lastBeatAt = longAgo.getTime();
    scheduleBeat(row.instanceId, beat);
    await sweepBeats();
    expect((await stored(row.id)).health).toBe("critical");
    // A change another process made (a deregistration shows up at the next sweep; a new health here).
    await db.instance.update({ where: { id: row.id }, data: { health: "passing", modifyIndex: await db.$transaction((tx) => bumpCatalogIndex(tx)) } });
    await loadTtlInstances();
    expect(beat.health).toBe("passing");
  });

  test("the load skips rows this process's registrations wrote, and reads another process's changes between them", async () => {
    await loadTtlInstances();
    const mine = await register("1m");
    // Another process's change, committed after this process's registration.
    const theirs = await register("1m");
    const theirIndex = await db.$transaction((tx) => bumpCatalogIndex(tx));
    await db.instance.update({ where: { id: theirs.id }, data: { health: "critical", modifyIndex: theirIndex } });
    const later = await register("1m");
    // Rows as this process's batches wrote them are not read back: a change made under their index is not seen.
    const { modifyIndex: laterIndex } = await db.instance.findUniqueOrThrow({ where: { id: later.id }, select: { modifyIndex: true } });
    await db.instance.updateMany({ where: { id: { in: [mine.id, later.id] } }, data: { health: "critical" } });
    expect(beatState.ownIndexes).toContain(laterIndex);
    await loadTtlInstances();
    expect(beatState.beats.get(theirs.instanceId)!.health).toBe("critical");
    expect(beatState.beats.get(mine.instanceId)!.health).toBe("passing");
    expect(beatState.beats.get(later.instanceId)!.health).toBe("passing");
    expect(beatState.loadedIndex).toBe(laterIndex);
    expect(beatState.ownIndexes).toEqual([]);
  });

  test("an abandoned instance is deregistered once the database agrees it is silent", async () => {
    next += 1;
    const input = ZRegisterInstance.parse({
      service: `beats-${next}`,
      id: `beats-${next}`,
      host: "127.0.0.1",
      port: 9000,
      check: { kind: "ttl", ttl: "1s", deregisterAfter: "1s" },
    });
    const { instance } = await registerInstance({ input });
    await silence(input.id, instance.id, 2_500);
    await sweepBeats();
    expect((await stored(instance.id)).health).toBe("critical");
    await sweepBeats();
    expect(await db.instance.count({ where: { id: instance.id } })).toBe(0);
    expect(beatState.beats.has(input.id)).toBe(false);
  });
});
