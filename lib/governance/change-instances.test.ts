import { beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { listDiscoverableInstances } from "@/lib/registry/discovery";
import { registerInstance } from "@/lib/registry/register-instance";
import { ZRegisterInstance } from "@/lib/registry/schemas";
import { changeInstances } from "./change-instances";
import { expireOverrides } from "./expire-overrides";
import { ZChangeInstances } from "./schemas";

const operator = { type: "user", id: "u-op", name: "op@example.com", role: "operator" } as const;
let next = 0;

/** A service of n passing TTL instances, tagged by position. */
async function fleet(n: number, protectionThreshold = 0) {
  next += 1;
  const service = `gov-${next}`;
  for (let i = 1; i <= n; i++) {
    await registerInstance({
      input: ZRegisterInstance.parse({
        service,
        id: `${service}-${i}`,
        host: "127.0.0.1",
        port: 9000 + i,
        tags: [i % 2 ? "odd" : "even"],
        metadata: { zone: `z${i}` },
        check: { kind: "ttl", ttl: "1h" },
      }),
    });
  }
  await db.service.update({ where: { name: service }, data: { protectionThreshold } });
  return { service, ids: Array.from({ length: n }, (_, i) => `${service}-${i + 1}`) };
}

const change = (input: unknown) => changeInstances({ actor: operator, input: ZChangeInstances.parse(input) });
const audits = (service: string) => db.auditEvent.findMany({ where: { service }, orderBy: { at: "asc" } });

beforeAll(async () => {
  await migrateDatabase();
});

describe("changeInstances", () => {
  test("a weight change reaches discovery, is audited with before and after, and bumps the version", async () => {
    const { service, ids } = await fleet(3);
    const result = await change({ selector: { ids: [ids[0]] }, change: { weight: 0 }, reason: "canary off" });
    expect(result.changed).toEqual([expect.objectContaining({ id: ids[0], weight: 0, enabled: true, version: 1 })]);
    const discovered = await listDiscoverableInstances({ name: service });
    expect(discovered.instances.map((instance) => instance.id)).toEqual(ids.slice(1));
    expect(await audits(service)).toEqual([
      expect.objectContaining({
        action: "instance.weight",
        actorName: operator.name,
        target: `instance/${service}/${ids[0]}`,
        reason: "canary off",
        before: { weight: 100, enabled: true },
        after: { weight: 0, enabled: true },
      }),
    ]);
    // Planned: a maintenance event, never a failover.
    const maintenance = await db.failoverEvent.findFirst({ where: { service, kind: "maintenance" } });
    expect(maintenance?.reason).toContain("weight 0 by op@example.com");
    expect(await db.failoverEvent.count({ where: { service, kind: "failover" } })).toBe(0);
  });

  test.each([
    { by: "service", selector: (service: string) => ({ service }), count: 4 },
    { by: "tag", selector: (service: string) => ({ service, tag: "even" }), count: 2 },
    { by: "metadata", selector: (service: string) => ({ service, metadata: { zone: "z3" } }), count: 1 },
  ])("selects by $by", async ({ selector, count }) => {
    const { service } = await fleet(4);
    const result = await change({ selector: selector(service), change: { weight: 7 } });
    expect(result.changed).toHaveLength(count);
    expect(result.changed.every((row) => row.weight === 7)).toBe(true);
  });

  test.each([
    { name: "an unknown instance", input: (_: string) => ({ selector: { ids: ["nope-1"] }, change: { weight: 1 } }), code: "not_found", field: "selector.ids" },
    {
      name: "a selection matching nothing",
      input: (service: string) => ({ selector: { service, tag: "absent" }, change: { weight: 1 } }),
      code: "validation_failed",
      field: "selector",
    },
    {
      name: "draining the whole service",
      input: (service: string) => ({ selector: { service }, change: { enabled: false } }),
      code: "validation_failed",
      field: "force",
    },
    {
      name: "a stale version",
      input: (service: string) => ({ selector: { ids: [`${service}-1`] }, change: { weight: 1 }, expected: { [`${service}-1`]: 5 } }),
      code: "conflict",
      field: "expected",
    },
  ])("refuses $name and changes nothing", async ({ input, code, field }) => {
    const { service } = await fleet(2);
    await expect(change(input(service))).rejects.toMatchObject({ code, field });
    expect(await audits(service)).toEqual([]);
    expect((await listDiscoverableInstances({ name: service })).instances.map((instance) => instance.weight)).toEqual([100, 100]);
  });

  test("below the protection threshold needs force and a reason", async () => {
    const { service, ids } = await fleet(4, 0.75);
    await expect(change({ selector: { ids: ids.slice(0, 2) }, change: { enabled: false } })).rejects.toMatchObject({ field: "force" });
    expect(() => ZChangeInstances.parse({ selector: { ids }, change: { enabled: false }, force: true })).toThrow(/a forced change needs a reason/);
    const result = await change({ selector: { ids: ids.slice(0, 2) }, change: { enabled: false }, force: true, reason: "zone maintenance" });
    expect(result.forced).toBe(true);
    expect((await listDiscoverableInstances({ name: service })).instances).toHaveLength(2);
  });

  test("a change with an expiry reverts by itself to what was there before, audited as the system", async () => {
    const { service, ids } = await fleet(2);
    await change({ selector: { ids: [ids[0]] }, change: { weight: 30 } });
    await change({ selector: { ids: [ids[0]] }, change: { enabled: false }, expiresIn: "10s", expected: { [ids[0]!]: 1 } });
    expect(await expireOverrides({ now: new Date(Date.now() + 5_000) })).toBe(0);
    expect(await expireOverrides({ now: new Date(Date.now() + 11_000) })).toBeGreaterThanOrEqual(1);
    const [first] = (await listDiscoverableInstances({ name: service })).instances;
    expect(first).toMatchObject({ id: ids[0], weight: 30 });
    const last = (await audits(service)).at(-1);
    expect(last).toMatchObject({ action: "instance.override-expired", actorType: "system" });
    expect(await db.instanceOverride.findFirst({ where: { instanceId: ids[0] } })).toMatchObject({ weight: 30, enabled: null, version: 3, expiresAt: null });
  });
});

describe("a token granted governance.change for some services", () => {
  const ci = (services: string[]) => ({ type: "token", id: "t-ci", name: "ci-pipeline", grants: [{ permission: "governance.change", services }] }) as const;

  test("drains and restores an instance of a service its patterns reach, audited as the token with its reason", async () => {
    const { service, ids } = await fleet(3);
    const token = ci([`${service}*`]);
    const drain = ZChangeInstances.parse({ selector: { service, ids: [ids[1]] }, change: { enabled: false }, reason: "pipeline 7: deploy" });
    expect((await changeInstances({ actor: token, input: drain })).changed).toEqual([expect.objectContaining({ id: ids[1], enabled: false })]);
    await changeInstances({
      actor: token,
      input: ZChangeInstances.parse({ selector: { ids: [ids[1]] }, change: { reset: true }, reason: "pipeline 7: done" }),
    });
    expect((await audits(service)).map((event) => [event.actorType, event.actorName, event.reason])).toEqual([
      ["token", "ci-pipeline", "pipeline 7: deploy"],
      ["token", "ci-pipeline", "pipeline 7: done"],
    ]);
  });

  test("changes nothing when the selection reaches a service outside them, naming it", async () => {
    const mine = await fleet(2);
    const theirs = await fleet(2);
    const token = ci([mine.service]);
    const input = ZChangeInstances.parse({ selector: { ids: [mine.ids[0], theirs.ids[0]] }, change: { weight: 0 }, reason: "half mine" });
    await expect(changeInstances({ actor: token, input })).rejects.toMatchObject({
      code: "forbidden",
      message: `this API token lacks governance.change for service '${theirs.service}'`,
    });
    expect(await audits(mine.service)).toEqual([]);
    const bySelector = ZChangeInstances.parse({ selector: { service: theirs.service }, change: { enabled: false }, reason: "not mine" });
    await expect(changeInstances({ actor: token, input: bySelector })).rejects.toMatchObject({ code: "forbidden" });
  });
});
