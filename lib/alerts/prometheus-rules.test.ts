import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import { promDuration, toPrometheusRules } from "./prometheus-rules";
import type { TAlertRule } from "./rule-schema";

const minute = 60_000;
const base = {
  id: "r",
  service: null,
  tag: null,
  objective: null,
  sloWindowMs: null,
  severity: "warning",
  enabled: true,
  forMs: 2 * minute,
  windowMs: 5 * minute,
} as const;
const rules: TAlertRule[] = [
  { ...base, id: "1", name: "OrdersErrors", service: "orders", kind: "error-rate", threshold: 5 },
  { ...base, id: "2", name: "TeamSlow", tag: "team=pay", kind: "p99", threshold: 300, severity: "critical" },
  { ...base, id: "3", name: "OrdersStopped", service: "orders", kind: "request-rate", threshold: 0.5, forMs: 0 },
  { ...base, id: "4", name: "OrdersThin", service: "orders", kind: "instances", threshold: 2 },
  {
    ...base,
    id: "5",
    name: "OrdersBudget",
    service: "orders",
    kind: "burn-rate",
    threshold: 14.4,
    windowMs: 60 * minute,
    objective: 99.9,
    sloWindowMs: 30 * 1440 * minute,
  },
  { ...base, id: "6", name: "NobodyTagged", tag: "none", kind: "p99", threshold: 1 },
  { ...base, id: "7", name: "Disabled", service: "orders", kind: "p99", threshold: 1, enabled: false },
];
const yaml = toPrometheusRules({
  rules,
  servicesOf: (tag) => (tag === "team=pay" ? ["payments", "pay.v2"] : []),
  linkOf: (rule) => `http://meshdeck.test/alerts#${rule.name}`,
});
type TExported = { alert: string; expr: string; for?: string; labels: Record<string, string>; annotations: Record<string, string> };
const exported = (parse(yaml) as { groups: { name: string; rules: TExported[] }[] }).groups[0]!.rules;
const byName = (name: string) => exported.find((rule) => rule.alert === name)!;

describe("the Prometheus rule file", () => {
  test.each([
    [60_000, "1m"],
    [300_000, "5m"],
    [3_600_000, "1h"],
    [2_592_000_000, "30d"],
    [90_000, "90s"],
    [1500, "1500ms"],
  ])("%s ms reads %s", (ms, text) => expect(promDuration(ms)).toBe(text));

  test("PromQL over http_request_duration_seconds, per service", () => {
    expect(byName("OrdersErrors").expr).toBe(
      '(sum by (service) (rate(http_request_duration_seconds_count{service="orders",code=~"5.."}[5m])) / sum by (service) (rate(http_request_duration_seconds_count{service="orders"}[5m]))) * 100 > 5',
    );
    expect(byName("OrdersErrors")).toMatchObject({ for: "2m", labels: { severity: "warning", meshdeck_rule: "OrdersErrors" } });
    expect(byName("TeamSlow").expr).toBe(
      'histogram_quantile(0.99, sum by (service, le) (rate(http_request_duration_seconds_bucket{service=~"payments|pay\\\\.v2"}[5m]))) * 1000 > 300',
    );
    expect(byName("OrdersStopped").for).toBeUndefined();
    expect(byName("OrdersThin").expr).toBe('count by (service) (up{service="orders"} == 1) < 2');
    // 14.4 × (1 - 0.999) = 0.0144 over 1 h and its twelfth, 5 m.
    expect(byName("OrdersBudget").expr).toMatch(/\[1h\]\)\)\) > 0\.0144\nand\n.*\[5m\]\)\)\) > 0\.0144$/s);
  });

  test("a tag nobody carries and a disabled rule are left out", () => {
    expect(exported.map((rule) => rule.alert)).toEqual(["OrdersErrors", "TeamSlow", "OrdersStopped", "OrdersThin", "OrdersBudget"]);
  });

  test("promtool check rules accepts it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "meshdeck-rules-"));
    try {
      const file = join(dir, "meshdeck.rules.yml");
      writeFileSync(file, yaml);
      const { stdout } = await promisify(execFile)("/usr/bin/promtool", ["check", "rules", file]);
      expect(stdout).toContain("SUCCESS: 5 rules found");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("promtool refuses a broken file: the check can fail", async () => {
    const dir = mkdtempSync(join(tmpdir(), "meshdeck-rules-"));
    try {
      const file = join(dir, "broken.yml");
      writeFileSync(file, yaml.replace("> 5", "> > 5"));
      await expect(promisify(execFile)("/usr/bin/promtool", ["check", "rules", file])).rejects.toThrow(/FAILED/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
