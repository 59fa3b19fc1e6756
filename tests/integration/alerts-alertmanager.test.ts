// Alert rules end to end: the demo fleet's orders error rate is raised through the config center, the rule fires
// in Meshdeck, the alert reaches a real Alertmanager (Debian's) with its labels, and it resolves there.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, expect, test } from "vitest";
import { startAlertmanager, type TAlertmanagerAlert } from "../support/alertmanager";
import { adminAndToken } from "../support/client";
import { eventually } from "../support/eventually";
import { freePort } from "../support/server-process";
import { startApp } from "../support/start-app";

const stops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const stop of stops.reverse()) await stop();
});

const ordersAlert = (alerts: TAlertmanagerAlert[]) => alerts.find((alert) => alert.labels.alertname === "OrdersErrors" && alert.labels.service === "orders");

test("a rule fires on the demo's raised error rate, reaches Alertmanager with its labels, and resolves", async () => {
  const alertmanager = await startAlertmanager();
  stops.push(alertmanager.stop);
  const databaseFile = ".tmp/integration/alerts-alertmanager.db";
  rmSync(databaseFile, { force: true });
  const app = await startApp({
    name: "alerts-alertmanager",
    port: await freePort(),
    databaseUrl: `file:${databaseFile}`,
    admin: { email: "alerts@meshdeck.test", password: `alerts-${Date.now().toString(36)}-pw` },
    env: { MESHDECK_DEMO: "1", MESHDECK_ALERTMANAGER_URL: alertmanager.baseUrl },
  });
  stops.push(app.stop);
  const { admin } = await adminAndToken(app.target, "alerts");

  // Hostile input is a 4xx that stores nothing.
  for (const bad of [
    { name: "bad name", service: "orders", kind: "error-rate", threshold: 10 },
    { name: "A", service: "orders", kind: "error-rate", threshold: 10, window: "7m" },
    { name: "A", service: "orders", tag: "x", kind: "p99", threshold: 1 },
    { name: "A", service: "orders", kind: "burn-rate", threshold: 14.4, window: "1h" },
  ]) {
    expect((await admin.post("/api/v1/alerts/rules", bad)).status).toBe(422);
  }
  expect((await admin.get("/api/v1/alerts/rules")).body.rules).toEqual([]);

  const rule = { name: "OrdersErrors", service: "orders", kind: "error-rate", threshold: 10, window: "1m", for: "15s", severity: "critical" };
  const created = await admin.post("/api/v1/alerts/rules", rule);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect((await admin.post("/api/v1/alerts/rules", rule)).status).toBe(409);
  expect((await admin.get("/api/v1/audit?action=alert-rule.create")).body.events).toEqual([
    expect.objectContaining({ action: "alert-rule.create", target: "alert-rule/OrdersErrors" }),
  ]);

  // The demo's orders serve traffic and their metrics reach the rollups before the error rate is raised.
  await eventually(
    async () => (await admin.get("/api/v1/services/orders/metrics?range=15m")).body,
    (body) => (body?.points ?? []).some((point: { rps: number | null }) => (point.rps ?? 0) > 0),
    { timeoutMs: 90_000, everyMs: 1000 },
  );
  expect(ordersAlert(await alertmanager.alerts())).toBeUndefined();

  // The config center tells every orders instance to fail half its requests.
  const item = "/api/v1/config/items/dev/orders/behaviour";
  const publish = async (errorRate: number) => {
    const current = await admin.get(item);
    const published = await admin.put(item, {
      format: "json",
      content: JSON.stringify({ latencyMs: 0, errorRate }),
      message: `alerts test: error rate ${errorRate}`,
      baseVersion: current.body.version,
    });
    expect(published.status, JSON.stringify(published.body)).toBe(200);
  };
  await publish(0.5);

  // A second rule on the same condition, to be deleted while it fires.
  const doomed = await admin.post("/api/v1/alerts/rules", { ...rule, name: "OrdersErrorsDoomed", severity: "warning" });
  expect(doomed.status, JSON.stringify(doomed.body)).toBe(201);
  const doomedAlert = (alerts: TAlertmanagerAlert[]) => alerts.find((alert) => alert.labels.alertname === "OrdersErrorsDoomed");

  const firing = await eventually(
    () => alertmanager.alerts(),
    (alerts) => ordersAlert(alerts)?.status.state === "active" && doomedAlert(alerts)?.status.state === "active",
    { timeoutMs: 120_000, everyMs: 1000 },
  );

  // Deleting a rule ends its firing alert in Alertmanager at once (not when it would lapse, 4 min on), resolved in
  // Meshdeck's history and counted in the audit; the other rule's alert fires on.
  expect((await admin.delete(`/api/v1/alerts/rules/${doomed.body.rule.id}`)).status).toBe(204);
  const active = await alertmanager.alerts();
  expect(doomedAlert(active)).toBeUndefined();
  expect(ordersAlert(active)?.status.state).toBe("active");
  const ended = (await admin.get("/api/v1/alerts?service=orders")).body.history.filter((row: { rule: string }) => row.rule === "OrdersErrorsDoomed");
  expect(ended[0]).toMatchObject({ from: "firing", to: "resolved", summary: "orders: Error rate above 10 % over 1 min for 15 s (rule deleted)" });
  expect((await admin.get("/api/v1/audit?action=alert-rule.delete")).body.events).toEqual([
    expect.objectContaining({ target: "alert-rule/OrdersErrorsDoomed", after: { alertsEnded: 1, services: ["orders"] } }),
  ]);

  const alert = ordersAlert(firing)!;
  expect(alert.labels).toEqual({ alertname: "OrdersErrors", service: "orders", severity: "critical" });
  expect(alert.annotations.meshdeck_url).toMatch(new RegExp(`^${app.target.baseUrl}/services/orders\\?from=.+&to=.+`));
  expect(alert.annotations.summary).toBe("orders: Error rate above 10 % over 1 min for 15 s");
  // Meshdeck shows it firing, with its history.
  const shown = (await admin.get("/api/v1/alerts?service=orders")).body;
  expect(shown.active).toEqual([expect.objectContaining({ rule: "OrdersErrors", service: "orders", state: "firing", severity: "critical" })]);
  const ordersHistory = (body: { history: { rule: string; from: string; to: string }[] }) => body.history.filter((row) => row.rule === "OrdersErrors");
  expect(ordersHistory(shown).map((row) => `${row.from}→${row.to}`)).toEqual(["pending→firing", "inactive→pending"]);

  // Back to no errors: the alert resolves in Meshdeck and is ended in Alertmanager, long before a lapse would end it.
  await publish(0);
  const resolvedAt = Date.now();
  await eventually(
    () => alertmanager.alerts(),
    (alerts) => ordersAlert(alerts) === undefined,
    { timeoutMs: 150_000, everyMs: 1000 },
  );
  expect(Date.now() - resolvedAt).toBeLessThan(150_000);
  const after = (await admin.get("/api/v1/alerts?service=orders")).body;
  expect(after.active).toEqual([]);
  expect(ordersHistory(after)[0]).toMatchObject({ from: "firing", to: "resolved" });

  // Alertmanager's own silences show through Meshdeck.
  const silence = await alertmanager.silence("orders", { createdBy: "alerts test", comment: "deploy window" });
  expect(silence.status).toBe(200);
  const silences = (await admin.get("/api/v1/alerts/silences")).body.alertmanager;
  expect(silences).toMatchObject({ error: null, silences: [expect.objectContaining({ createdBy: "alerts test", comment: "deploy window" })] });

  // The export is a rule file promtool accepts.
  const exported = await fetch(`${app.target.baseUrl}/api/v1/alerts/rules/export`, { headers: { cookie: (await adminAndToken(app.target, "export")).cookie } });
  expect(exported.headers.get("content-type")).toContain("yaml");
  const dir = mkdtempSync(join(tmpdir(), "meshdeck-export-"));
  try {
    writeFileSync(join(dir, "meshdeck.rules.yml"), await exported.text());
    const { stdout } = await promisify(execFile)("/usr/bin/promtool", ["check", "rules", join(dir, "meshdeck.rules.yml")]);
    expect(stdout).toContain("SUCCESS: 1 rules found");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 480_000);
