import { beforeAll, expect, test, vi } from "vitest";
import { migrateDatabase } from "@/lib/db/migrate";
import { registerInstance } from "@/lib/registry/register-instance";
import { ZRegisterInstance } from "@/lib/registry/schemas";
import { CheckedInstances } from "./checked-instances";

beforeAll(async () => {
  await migrateDatabase();
});

const registerAll = (ids: string[], check: Record<string, unknown>) =>
  Promise.all(
    ids.map((id, i) => registerInstance({ input: ZRegisterInstance.parse({ service: "checked-pages", id, host: "127.0.0.1", port: 10_000 + i, check }) })),
  );

test("more changed rows than one read takes are all learned, in several reads", async () => {
  const checked = new CheckedInstances();
  const now = Date.now();
  await checked.refresh({ now });
  // Learned from the changed rows alone: a whole read (what a missed row would cost) does not come into it.
  const readAll = vi.spyOn(CheckedInstances.prototype as unknown as { readAll: () => Promise<boolean> }, "readAll");
  const ids = Array.from({ length: 1_200 }, (_, i) => `checked-pages-${i}`);
  await registerAll(ids, { kind: "http", path: "/health" });
  expect(await checked.refresh({ now })).toBe(true);
  const learned = new Set([...checked.byId.values()].map((instance) => instance.instanceId));
  expect(ids.every((id) => learned.has(id))).toBe(true);

  // 700 of them turn to TTL checks: no longer checked by the collector, each dropped.
  await registerAll(ids.slice(0, 700), { kind: "ttl", ttl: "1m" });
  expect(await checked.refresh({ now })).toBe(true);
  const left = new Set([...checked.byId.values()].map((instance) => instance.instanceId));
  expect(ids.filter((id) => left.has(id))).toEqual(ids.slice(700));
  expect(await checked.refresh({ now })).toBe(false);
  expect(readAll).not.toHaveBeenCalled();
});
