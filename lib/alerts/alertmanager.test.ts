import { afterAll, beforeAll, expect, test } from "vitest";
import { startAlertmanager } from "@/tests/support/alertmanager";
import { db } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { toRollupRow } from "@/lib/metrics/rollup/rollup-rows";
import { writeRollupRows } from "@/lib/metrics/rollup/rollup-store";
import { createSilence } from "@/lib/notify/silences";
import { registerInstance } from "@/lib/registry/register-instance";
import { ZRegisterInstance } from "@/lib/registry/schemas";
import { listAlertmanagerSilences, notifyAlertmanager } from "./alertmanager";
import { evaluateAlerts } from "./evaluate-alerts";
import { ZAlertRule } from "./rule-schema";
import { createAlertRule } from "./rules";

const system = { type: "system", name: "test" } as const;
const minute = 60_000;
let alertmanager: Awaited<ReturnType<typeof startAlertmanager>>;

/** 10 s service rows over [from, to) with this error share. */
async function traffic(service: string, { from, to, errorShare }: { from: number; to: number; errorShare: number }) {
  const rows = [];
  for (let at = from; at < to; at += 10_000) {
    const signals = { requests: 100, errors: 100 * errorShare, buckets: null, summary: { p50: 5, p95: 9, p99: 12 } };
    rows.push(toRollupRow({ key: { scope: "service", service, instanceId: "", peer: "" }, resolution: 10, atMs: at, signals }));
  }
  await writeRollupRows(rows);
}

beforeAll(async () => {
  // Debian's real Alertmanager, on a free port of 127.0.0.1.
  alertmanager = await startAlertmanager();
  await migrateDatabase();
  for (const service of ["billing", "ledger"]) {
    await registerInstance({ input: ZRegisterInstance.parse({ service, id: `${service}-1`, host: "127.0.0.1", port: 9000, tags: ["team=money"] }) });
  }
}, 60_000);

afterAll(async () => alertmanager?.stop());

test("firing alerts reach Alertmanager unless silenced in Meshdeck; a resolved one is ended there and leaves the table", async () => {
  // Two and a half minutes ago: the firing alert's end (4 min on) is still ahead, the resolution (2 min on) behind.
  const now = Math.floor(Date.now() / 10_000) * 10_000 - 150_000;
  await createAlertRule({
    actor: system,
    input: ZAlertRule.parse({ name: "MoneyErrors", tag: "team=money", kind: "error-rate", threshold: 5, window: "1m", severity: "critical" }),
  });
  await traffic("billing", { from: now - 2 * minute, to: now, errorShare: 0.5 });
  await traffic("ledger", { from: now - 2 * minute, to: now, errorShare: 0.5 });
  await createSilence({ actor: system, service: "ledger", input: { duration: 3_600_000, reason: "migration" }, now: new Date(now - minute) });

  await evaluateAlerts({ now });
  expect(await notifyAlertmanager({ url: alertmanager.baseUrl, now })).toBe(1);
  const held = await alertmanager.alerts();
  expect(held.map((alert) => alert.labels)).toEqual([{ alertname: "MoneyErrors", service: "billing", severity: "critical" }]);
  expect(held[0]!.annotations.meshdeck_url).toMatch(/\/services\/billing\?from=.+&to=.+$/);
  // Told within the last minute: not posted again yet.
  expect(await notifyAlertmanager({ url: alertmanager.baseUrl, now: now + 10_000 })).toBe(0);

  await traffic("billing", { from: now, to: now + 2 * minute, errorShare: 0 });
  await evaluateAlerts({ now: now + 2 * minute });
  expect(await db.alertState.findMany({ where: { service: "billing" }, select: { state: true } })).toEqual([{ state: "resolved" }]);
  expect(await notifyAlertmanager({ url: alertmanager.baseUrl, now: now + 2 * minute })).toBe(1);
  expect(await alertmanager.alerts()).toEqual([]);
  expect(await db.alertState.count({ where: { service: "billing" } })).toBe(0);
});

test("Alertmanager's own silences are read through its v2 API", async () => {
  const made = await alertmanager.silence("billing", { createdBy: "unit test", comment: "maintenance" });
  expect(made.status).toBe(200);
  expect(await listAlertmanagerSilences({ url: alertmanager.baseUrl })).toMatchObject({
    error: null,
    more: 0,
    silences: [{ createdBy: "unit test", comment: "maintenance" }],
  });
});
