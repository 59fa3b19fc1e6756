import { beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { deregisterInstance, registerInstance } from "@/lib/registry/register-instance";
import { ZRegisterInstance } from "@/lib/registry/schemas";
import { trafficShares } from "./record-traffic-change";
import { setInstanceHealth } from "./set-instance-health";

beforeAll(async () => {
  await migrateDatabase();
});

describe("trafficShares", () => {
  test.each([
    ["equal weights split evenly", [100, 100], ["passing", "passing"], [0.5, 0.5]],
    ["shares follow weights", [300, 100], ["passing", "passing"], [0.75, 0.25]],
    ["critical instances take none", [100, 100, 100], ["passing", "critical", "warning"], [0.5, 0.5]],
    ["weight 0 takes none", [0, 50], ["passing", "passing"], [1]],
    ["nobody left", [100], ["critical"], []],
  ])("%s", (_label, weights, healths, shares) => {
    const members = weights.map((weight, index) => ({ id: `i${index}`, weight, enabled: true, health: healths[index]! }));
    expect(trafficShares(members).map((member) => member.share)).toEqual(shares);
  });

  test("drained instances take none", () => {
    expect(
      trafficShares([
        { id: "a", weight: 100, enabled: false, health: "passing" },
        { id: "b", weight: 100, enabled: true, health: "passing" },
      ]),
    ).toEqual([{ id: "b", weight: 100, share: 1 }]);
  });
});

describe("failover events", () => {
  const service = "failover-story";
  const register = (id: string, weight: number) =>
    registerInstance({ input: ZRegisterInstance.parse({ service, id, host: "127.0.0.1", port: 9000, weight, check: { kind: "ttl", ttl: "1m" } }) });
  const idOf = async (instanceId: string) => (await db.instance.findFirstOrThrow({ where: { instanceId } })).id;
  const events = () => db.failoverEvent.findMany({ where: { service }, orderBy: [{ at: "asc" }, { kind: "asc" }] });

  test("tell who took over, when a service has none left, and when it comes back", async () => {
    await register("story-1", 100);
    await register("story-2", 300);
    expect(await events()).toEqual([]); // a new service had no outage to end

    await setInstanceHealth({ id: await idOf("story-2"), to: "critical", reason: "TTL expired", detectionMs: 3100 });
    let all = await events();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ kind: "failover", instanceId: "story-2", detectionMs: 3100, reason: "TTL expired" });
    expect(all[0]!.takeover).toEqual([{ id: "story-1", weight: 100, share: 1 }]);

    await setInstanceHealth({ id: await idOf("story-1"), to: "critical", reason: "TTL expired" });
    all = await events();
    expect(all.map((event) => event.kind)).toEqual(["failover", "failover", "outage"]);
    expect(all[1]!.takeover).toEqual([]);

    await setInstanceHealth({ id: await idOf("story-2"), to: "passing", reason: "heartbeat received" });
    all = await events();
    expect(
      all
        .slice(3)
        .map((event) => event.kind)
        .sort(),
    ).toEqual(["outage-end", "recovery"]);
    expect(all.find((event) => event.kind === "recovery")!.takeover).toEqual([{ id: "story-2", weight: 300, share: 1 }]);

    await deregisterInstance({ instanceId: "story-2" });
    all = await events();
    expect(all.slice(5).map((event) => event.kind)).toEqual(["failover", "outage"]);
    expect(all[5]).toMatchObject({ instanceId: "story-2", reason: "deregistered" });

    // A new instance ends the outage without claiming a recovery.
    await register("story-3", 100);
    expect((await events()).slice(7).map((event) => event.kind)).toEqual(["outage-end"]);
  });

  test("a change that keeps an instance in (or out of) the set writes no failover", async () => {
    await registerInstance({ input: ZRegisterInstance.parse({ service: "steady", id: "steady-1", host: "127.0.0.1", port: 9001 }) });
    await setInstanceHealth({ id: await idOf("steady-1"), to: "warning", reason: "429" });
    await setInstanceHealth({ id: await idOf("steady-1"), to: "passing", reason: "200" });
    expect(await db.failoverEvent.count({ where: { service: "steady" } })).toBe(0);
  });
});
