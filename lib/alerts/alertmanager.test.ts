import { afterAll, beforeAll, describe, expect, test } from "vitest";
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
import { createAlertRule, deleteAlertRule, updateAlertRule } from "./rules";

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

describe("a rule deleted, disabled or renamed while its alert fires", () => {
  const held = async (service: string) =>
    (await alertmanager.alerts()).filter((alert) => alert.labels.service === service).map((alert) => `${alert.labels.alertname} ${alert.labels.severity}`);
  const history = async (service: string) =>
    (await db.alertEvent.findMany({ where: { service }, orderBy: { at: "asc" }, select: { rule: true, from: true, to: true, summary: true } })).map(
      ({ rule, from, to, summary }) => `${rule} ${from}→${to} ${summary}`,
    );

  /** A rule on `service` that fires now and is told to Alertmanager. */
  async function firing(service: string, name: string, now: number) {
    await registerInstance({ input: ZRegisterInstance.parse({ service, id: `${service}-1`, host: "127.0.0.1", port: 9000 }) });
    const input = ZAlertRule.parse({ name, service, kind: "error-rate", threshold: 5, window: "1m", severity: "warning" });
    const rule = await createAlertRule({ actor: system, input });
    await traffic(service, { from: now - 2 * minute, to: now, errorShare: 0.5 });
    await evaluateAlerts({ now });
    await notifyAlertmanager({ url: alertmanager.baseUrl, now });
    expect(await held(service)).toEqual([`${name} warning`]);
    return { rule, input };
  }

  test("deleted: ended in Alertmanager at once, resolved in the history, counted in the audit", async () => {
    const now = Math.floor(Date.now() / 10_000) * 10_000;
    const { rule } = await firing("payroll", "PayrollErrors", now);
    await deleteAlertRule({ actor: system, id: rule.id, alertmanager: alertmanager.baseUrl });
    expect(await held("payroll")).toEqual([]);
    expect(await history("payroll")).toEqual([
      "PayrollErrors inactive→firing payroll: Error rate above 5 % over 1 min (50 %)",
      "PayrollErrors firing→resolved payroll: Error rate above 5 % over 1 min (rule deleted)",
    ]);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "alert-rule.delete", target: "alert-rule/PayrollErrors" } });
    expect(audit.after).toEqual({ alertsEnded: 1, services: ["payroll"] });
  });

  test("disabled: ended at once, resolved in the history", async () => {
    const now = Math.floor(Date.now() / 10_000) * 10_000;
    const { rule, input } = await firing("invoicing", "InvoicingErrors", now);
    await updateAlertRule({ actor: system, id: rule.id, input: { ...input, enabled: false }, alertmanager: alertmanager.baseUrl });
    expect(await held("invoicing")).toEqual([]);
    expect((await history("invoicing")).at(-1)).toBe("InvoicingErrors firing→resolved invoicing: Error rate above 5 % over 1 min (rule disabled)");
    expect(await db.alertState.count({ where: { ruleId: rule.id } })).toBe(0);
  });

  test("renamed: the old name is ended at once, the new one posted at the next round", async () => {
    const now = Math.floor(Date.now() / 10_000) * 10_000;
    const { rule, input } = await firing("refunds", "RefundErrors", now);
    await updateAlertRule({ actor: system, id: rule.id, input: { ...input, name: "RefundsFailing" }, alertmanager: alertmanager.baseUrl });
    expect(await held("refunds")).toEqual([]);
    await notifyAlertmanager({ url: alertmanager.baseUrl, now: now + 20_000 });
    expect(await held("refunds")).toEqual(["RefundsFailing warning"]);
  });
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
