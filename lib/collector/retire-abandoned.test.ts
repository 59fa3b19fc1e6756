import { beforeAll, expect, test } from "vitest";
import { setInstancesHealth } from "@/lib/catalog/set-instance-health";
import { db } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { deregisterInstance, registerInstance } from "@/lib/registry/register-instance";
import { ZRegisterInstance } from "@/lib/registry/schemas";
import { retireAbandoned } from "./retire-abandoned";

beforeAll(async () => {
  await migrateDatabase();
});

const hour = 3_600_000;

/** A service whose one instance passed, then left: an outage with no instance registered. */
async function abandoned(service: string, { keep = false } = {}) {
  const { instance } = await registerInstance({ input: ZRegisterInstance.parse({ service, id: `${service}-1`, host: "127.0.0.1", port: 9500 }) });
  await setInstancesHealth([{ id: instance.id, to: "passing", reason: "up" }]);
  await setInstancesHealth([{ id: instance.id, to: "critical", reason: "TTL expired" }]);
  if (!keep) await deregisterInstance({ instanceId: `${service}-1` });
}

test("an outage with no instance registered past MESHDECK_RETIRE_AFTER ends as retired; one with an instance stays", async () => {
  await abandoned("abandoned-svc");
  await abandoned("still-registered", { keep: true });
  expect(await db.incident.findFirst({ where: { key: "outage/abandoned-svc" } })).toMatchObject({ endedAt: null });

  // Not yet: the outage is younger than the setting.
  expect(await retireAbandoned({ retireAfterMs: 24 * hour, now: Date.now() })).toEqual([]);
  const retired = await retireAbandoned({ retireAfterMs: 24 * hour, now: Date.now() + 25 * hour });
  expect(retired).toEqual(["abandoned-svc"]);

  expect(await db.service.findUnique({ where: { name: "abandoned-svc" } })).toBeNull();
  expect(await db.service.findUnique({ where: { name: "still-registered" } })).not.toBeNull();
  // Its outage ends as retired, and so does the failure of the instance that left while failing.
  expect(await db.incident.findFirst({ where: { key: "outage/abandoned-svc" } })).toMatchObject({ ending: "retired" });
  expect(await db.incident.findFirst({ where: { key: "failover/abandoned-svc/abandoned-svc-1" } })).toMatchObject({ ending: "retired" });
  expect(await db.incident.count({ where: { service: "abandoned-svc", endedAt: null } })).toBe(0);
  expect(await db.failoverEvent.findFirst({ where: { service: "abandoned-svc", kind: "retired" } })).toMatchObject({ instanceId: null });
  expect(await db.auditEvent.findFirst({ where: { action: "service.retire", target: "service/abandoned-svc" } })).toMatchObject({ actorName: "meshdeck" });
  // Its history stays under its name.
  expect(await db.healthEvent.count({ where: { service: "abandoned-svc" } })).toBeGreaterThan(0);
  // Run again (another collector): nothing left to do.
  expect(await retireAbandoned({ retireAfterMs: 24 * hour, now: Date.now() + 25 * hour })).toEqual([]);
});
