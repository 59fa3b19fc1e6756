import { describe, expect, test } from "vitest";
import { budgetSpent, burnRate, evaluateCondition, nextAlertState, type TServiceReadings, type TStoredAlert, type TWindowReading } from "./conditions";
import { ZAlertRule, type TAlertKind } from "./rule-schema";

const minute = 60_000;
const hour = 60 * minute;

/** Readings with the same signals in every window, or per window where given. */
function readings(
  reading: TWindowReading | null,
  { instances = null, byWindow = {} }: { instances?: number | null; byWindow?: Record<number, TWindowReading> } = {},
): TServiceReadings {
  return { over: (windowMs) => byWindow[windowMs] ?? reading, instances };
}

const rule = (kind: TAlertKind, threshold: number, extra: { windowMs?: number; objective?: number } = {}) => ({
  kind,
  threshold,
  windowMs: extra.windowMs ?? 5 * minute,
  objective: extra.objective ?? null,
});

describe("a rule's condition", () => {
  test.each([
    ["error rate 7 % above 5 %", rule("error-rate", 5), { rps: 10, errorRate: 0.07, p99: 20 }, 7.000000000000001, true],
    ["error rate 5 % is not above 5 %", rule("error-rate", 5), { rps: 10, errorRate: 0.05, p99: 20 }, 5, false],
    ["no requests: no error rate, no alert", rule("error-rate", 5), { rps: 0, errorRate: null, p99: null }, null, false],
    ["p99 412 ms above 300", rule("p99", 300), { rps: 10, errorRate: 0, p99: 412 }, 412, true],
    ["p99 200 ms under 300", rule("p99", 300), { rps: 10, errorRate: 0, p99: 200 }, 200, false],
    ["traffic stopped: 0 below 1 req/s", rule("request-rate", 1), { rps: 0, errorRate: null, p99: null }, 0, true],
    ["traffic flowing: 12 req/s", rule("request-rate", 1), { rps: 12, errorRate: 0, p99: 3 }, 12, false],
  ])("%s", (_name, condition, reading, value, active) => {
    expect(evaluateCondition(condition, readings(reading))).toEqual({ value, active });
  });

  test("a window nothing measured fires nothing, even a below-rule", () => {
    expect(evaluateCondition(rule("request-rate", 1), readings(null))).toEqual({ value: null, active: false });
  });

  test.each([
    [1, 2, true],
    [2, 2, false],
    [0, 1, true],
    [null, 1, false],
  ])("%s instances taking traffic against a minimum of %s", (instances, threshold, active) => {
    expect(evaluateCondition(rule("instances", threshold), readings(null, { instances }))).toEqual({ value: instances, active });
  });
});

describe("burn rate (the SRE workbook's multi-window recipe)", () => {
  test.each([
    // errors, objective: burn = error rate / (1 - objective)
    [0.001, 99.9, 1],
    [0.0144, 99.9, 14.4],
    [0.06, 99, 6],
    [0, 99.9, 0],
  ])("error rate %s against %s % burns %s×", (errorRate, objective, burn) => {
    expect(burnRate({ errorRate, objective })).toBeCloseTo(burn, 9);
  });

  test("14.4× for an hour spends 2 % of a 30-day budget; 6× for 6 h spends 5 %", () => {
    expect(budgetSpent({ factor: 14.4, windowMs: hour, sloWindowMs: 30 * 24 * hour })).toBeCloseTo(0.02, 9);
    expect(budgetSpent({ factor: 6, windowMs: 6 * hour, sloWindowMs: 30 * 24 * hour })).toBeCloseTo(0.05, 9);
  });

  const page = rule("burn-rate", 14.4, { windowMs: hour, objective: 99.9 });
  const at = (errorRate: number): TWindowReading => ({ rps: 100, errorRate, p99: 10 });

  test.each([
    ["both windows burn fast: fires, the slower decides the value", at(0.02), at(0.05), 20, true],
    ["the long window burns fast, the short one has recovered: no alert", at(0.02), at(0.001), 1, false],
    ["a short spike, the long window still under: no alert", at(0.005), at(0.5), 5, false],
    ["both exactly at the factor: not above", at(0.0144), at(0.0144), 14.4, false],
  ])("%s", (_name, long, short, value, active) => {
    const result = evaluateCondition(page, readings(null, { byWindow: { [hour]: long, [5 * minute]: short } }));
    expect(result.active).toBe(active);
    expect(result.value).toBeCloseTo(value, 6);
  });

  test("no requests in either window: nothing to judge", () => {
    expect(evaluateCondition(page, readings({ rps: 0, errorRate: null, p99: null }))).toEqual({ value: null, active: false });
  });
});

describe("alert states", () => {
  const t0 = 1_000_000;
  const step = (current: TStoredAlert | undefined, active: boolean, now: number, forMs = 2 * minute) => nextAlertState({ current, active, forMs, now });

  test("inactive → pending → firing after the hold → resolved → inactive-and-again pending", () => {
    const pending = step(undefined, true, t0);
    expect(pending).toEqual({ state: "pending", activeAt: t0, changedAt: t0 });
    const stillPending = step(pending as TStoredAlert, true, t0 + minute);
    expect(stillPending).toBe(pending);
    const firing = step(pending as TStoredAlert, true, t0 + 2 * minute);
    expect(firing).toEqual({ state: "firing", activeAt: t0, changedAt: t0 + 2 * minute });
    expect(step(firing as TStoredAlert, true, t0 + 10 * minute)).toBe(firing);
    const resolved = step(firing as TStoredAlert, false, t0 + 11 * minute);
    expect(resolved).toEqual({ state: "resolved", activeAt: t0, changedAt: t0 + 11 * minute });
    // Resolved stays until told; a new breach starts a new pending episode.
    expect(step(resolved as TStoredAlert, false, t0 + 12 * minute)).toBe(resolved);
    expect(step(resolved as TStoredAlert, true, t0 + 12 * minute)).toEqual({ state: "pending", activeAt: t0 + 12 * minute, changedAt: t0 + 12 * minute });
  });

  test("a pending alert whose condition ends goes back to inactive, never firing", () => {
    const pending = step(undefined, true, t0) as TStoredAlert;
    expect(step(pending, false, t0 + minute)).toEqual({ state: "inactive" });
  });

  test("without a hold time it fires at once", () => {
    expect(step(undefined, true, t0, 0)).toEqual({ state: "firing", activeAt: t0, changedAt: t0 });
  });

  test("nothing happening stays inactive", () => {
    expect(step(undefined, false, t0)).toEqual({ state: "inactive" });
  });
});

describe("rule input", () => {
  test("durations and defaults", () => {
    expect(ZAlertRule.parse({ name: "OrdersErrors", service: "orders", kind: "error-rate", threshold: 5, for: "2m" })).toMatchObject({
      window: 5 * minute,
      for: 2 * minute,
      severity: "warning",
      enabled: true,
    });
  });

  test.each([
    ["service", { name: "A", kind: "p99", threshold: 1 }],
    ["service", { name: "A", service: "orders", tag: "team=a", kind: "p99", threshold: 1 }],
    ["name", { name: "has space", service: "orders", kind: "p99", threshold: 1 }],
    ["name", { name: "x\u0000", service: "orders", kind: "p99", threshold: 1 }],
    ["service", { name: "A", service: "../etc", kind: "p99", threshold: 1 }],
    ["kind", { name: "A", service: "orders", kind: "cpu", threshold: 1 }],
    ["threshold", { name: "A", service: "orders", kind: "error-rate", threshold: 101 }],
    ["threshold", { name: "A", service: "orders", kind: "p99", threshold: -1 }],
    ["threshold", { name: "A", service: "orders", kind: "instances", threshold: 1.5 }],
    ["window", { name: "A", service: "orders", kind: "p99", threshold: 1, window: "7m" }],
    ["window", { name: "A", service: "orders", kind: "burn-rate", threshold: 14.4, window: "5m", objective: 99.9, sloWindow: "30d" }],
    ["objective", { name: "A", service: "orders", kind: "burn-rate", threshold: 14.4, window: "1h", sloWindow: "30d" }],
    ["objective", { name: "A", service: "orders", kind: "p99", threshold: 1, objective: 99 }],
    ["for", { name: "A", service: "orders", kind: "p99", threshold: 1, for: "2h" }],
    ["tag", { name: "A", tag: "a b", kind: "p99", threshold: 1 }],
    ["", { name: "A", service: "orders", kind: "p99", threshold: 1, extra: true }],
  ])("refuses a bad %s", (field, input) => {
    const result = ZAlertRule.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path.join(".")).toBe(field);
  });
});
