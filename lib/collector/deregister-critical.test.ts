import { beforeAll, expect, test } from "vitest";
import { setInstancesHealth } from "@/lib/catalog/set-instance-health";
import { db } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { registerInstance } from "@/lib/registry/register-instance";
import { ZRegisterInstance } from "@/lib/registry/schemas";
import { deregisterCritical } from "./deregister-critical";

beforeAll(async () => {
  await migrateDatabase();
});

async function critical(id: string, deregisterAfter: string | null, kind = "tcp") {
  const check = { kind, interval: "1s", timeout: "500ms", deregisterAfter };
  const { instance } = await registerInstance({ input: ZRegisterInstance.parse({ service: "reaped", id, host: "127.0.0.1", port: 9400, check }) });
  await setInstancesHealth([{ id: instance.id, to: "critical", reason: "connection refused" }]);
  return instance.id;
}

test("an actively checked instance critical past its deregisterAfter is deregistered; the others stay", async () => {
  await critical("reaped-1", "2s");
  await critical("reaped-grpc", "2s", "grpc");
  await critical("kept-for-good", null);
  const recovered = await critical("recovered-1", "2s");
  await setInstancesHealth([{ id: recovered, to: "passing", reason: "back" }]);

  expect(await deregisterCritical({ now: Date.now() })).toEqual([]);
  const gone = await deregisterCritical({ now: Date.now() + 3000 });
  expect(gone.sort()).toEqual(["reaped-1", "reaped-grpc"]);
  const left = await db.instance.findMany({ where: { service: { name: "reaped" } }, select: { instanceId: true } });
  expect(left.map((row) => row.instanceId).sort()).toEqual(["kept-for-good", "recovered-1"]);
  const event = await db.healthEvent.findFirst({ where: { instanceId: "reaped-1", to: "deregistered" } });
  expect(event?.reason).toMatch(/^deregistered: critical for \d+ s \(deregisterAfter 2 s\)$/);
});
