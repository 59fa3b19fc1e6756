import { describe, expect, test } from "vitest";
import { DeltaLog } from "./delta-log";
import { toEurekaInstance, type TInstanceRow } from "./eureka-view";
import { instanceRow } from "./instance-row.fixture";

const instance = (instanceId: string, change: Partial<TInstanceRow> = {}) => toEurekaInstance("orders", instanceRow({ instanceId, ...change }));
const t0 = 1_000_000_000;
const actions = (log: DeltaLog, now: number) => log.delta(now).entries.map(({ actionType, instance }) => `${actionType} ${instance.instanceId}`);

describe("DeltaLog", () => {
  test("a process's first view is not a delta: until it has watched a whole window, clients fetch everything", () => {
    const log = new DeltaLog({ windowMs: 1000 });
    log.observe([instance("a")], t0);
    expect(log.delta(t0)).toEqual({ entries: [], complete: false });
    expect(log.delta(t0 + 1000).complete).toBe(true);
  });

  test("tells what was added, modified and deleted between views, a renewal's timestamps aside", () => {
    const log = new DeltaLog({ windowMs: 1000 });
    log.observe([instance("a"), instance("b")], t0);
    log.observe([instance("a", { lastHeartbeatAt: new Date(), updatedAt: new Date() }), instance("b", { enabledOverride: false }), instance("c")], t0 + 1000);
    log.observe([instance("b", { enabledOverride: false }), instance("c")], t0 + 1100);
    expect(actions(log, t0 + 1100)).toEqual(["MODIFIED b", "ADDED c", "DELETED a"]);
    expect(log.delta(t0 + 1100).complete).toBe(true);
  });

  test("keeps only the window, and one entry per instance, its latest", () => {
    const log = new DeltaLog({ windowMs: 1000 });
    log.observe([], t0);
    log.observe([instance("a")], t0 + 100);
    log.observe([instance("a", { health: "critical" })], t0 + 900);
    expect(actions(log, t0 + 1000)).toEqual(["MODIFIED a"]);
    expect(actions(log, t0 + 2000)).toEqual([]);
  });

  test("past maxEntries the oldest go, and the delta is marked incomplete for a window", () => {
    const log = new DeltaLog({ windowMs: 1000, maxEntries: 2 });
    log.observe([], t0 - 1000);
    log.observe([instance("a"), instance("b"), instance("c")], t0);
    expect(actions(log, t0)).toEqual(["ADDED b", "ADDED c"]);
    expect(log.delta(t0).complete).toBe(false);
    expect(log.delta(t0 + 1000).complete).toBe(true);
  });
});
