import { beforeAll, describe, expect, test } from "vitest";
import { seedMetrics } from "@/bench/metrics/seed";
import { db } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { chartMarkerCap } from "./chart-query-markers";
import { chartWindow, getServiceChart, maxChartPoints } from "./chart-query";
import { histogramQuantile } from "../rollup/quantile";
import { toRollupRow, type TRollupKey } from "../rollup/rollup-rows";
import { mergeBuckets } from "../signals";
import type { TBuckets, TSignals } from "../types";
import { rangePresetNames as chartRangeNames, rangePresets as chartRanges, type TRangePreset as TChartRange } from "@/lib/time/range";

const inf = Number.POSITIVE_INFINITY;
// On a 20 s and a 5 min boundary, so the 1 h chart's steps start at whole minutes.
const now = Date.UTC(2030, 0, 10, 12, 0, 0);
const second = 1000;
const minute = 60_000;

const orders = (instanceId = ""): TRollupKey => ({ scope: instanceId ? "instance" : "service", service: "orders", instanceId, peer: "" });
const signals = (requests: number, errors: number, buckets: TBuckets | null): TSignals => ({ requests, errors, buckets, summary: null });

async function writeRows(rows: { key: TRollupKey; resolution: number; atMs: number; signals: TSignals }[]) {
  await db.metricRollup.createMany({ data: rows.map(toRollupRow) });
}

function healthEvent(instanceId: string, from: string, to: string, at: number, service = "orders") {
  return { service, source: "builtin", instanceId, from, to, reason: `to ${to}`, at: new Date(at) };
}

beforeAll(async () => {
  await migrateDatabase();
  for (const name of ["orders", "payments", "frontend"]) {
    await db.service.create({ data: { name, instances: { create: [1, 2].map((n) => ({ instanceId: `${name}-${n}`, host: "127.0.0.1", port: 9000 + n })) } } });
  }
});

describe("chartWindow", () => {
  test.each([
    ["15m", 10, 10 * second, 90],
    ["1h", 10, 20 * second, 180],
    ["6h", 60, 2 * minute, 180],
    ["24h", 60, 5 * minute, 288],
    ["7d", 3600, 3600 * second, 168],
    ["30d", 3600, 3 * 3600 * second, 240],
  ] as [TChartRange, number, number, number][])("%s reads %i s rows in steps of %i ms: %i points", (range, resolution, stepMs, steps) => {
    expect(chartWindow({ range: { preset: range }, now })).toMatchObject({ resolution, stepMs, steps });
    expect(chartWindow({ range: { preset: range }, now: now + 7_777 })).toMatchObject({ resolution, stepMs, steps });
    // The smallest such step: one resolution less would need more points than the limit.
    if (stepMs > resolution * second) expect(chartRanges[range] / (stepMs - resolution * second)).toBeGreaterThan(maxChartPoints);
  });

  test.each(chartRangeNames)("%s keeps at most 300 points at any moment", (range) => {
    for (const offset of [0, 1, 7_777, 59_999, 3_599_999])
      expect(chartWindow({ range: { preset: range }, now: now + offset }).steps).toBeLessThanOrEqual(maxChartPoints);
  });
});

describe("getServiceChart", () => {
  const fast: TBuckets = [
    [0.01, 80],
    [0.1, 95],
    [1, 100],
    [inf, 100],
  ];
  const slow: TBuckets = [
    [0.01, 0],
    [0.1, 20],
    [1, 190],
    [inf, 200],
  ];
  // The 1 h chart has 20 s steps: step A, 10 min ago, holds two 10 s rows.
  const stepA = now - 10 * minute;

  beforeAll(async () => {
    await writeRows([
      { key: orders(), resolution: 10, atMs: stepA, signals: signals(100, 1, fast) },
      { key: orders(), resolution: 10, atMs: stepA + 10 * second, signals: signals(200, 3, slow) },
      { key: orders(), resolution: 10, atMs: stepA + 40 * second, signals: signals(0, 0, null) },
      { key: orders("orders-1"), resolution: 10, atMs: stepA, signals: signals(100, 1, fast) },
      // The newest window: its step is still being measured.
      { key: orders(), resolution: 10, atMs: now - 40 * second, signals: signals(50, 0, fast) },
    ]);
  });

  async function pointAt(at: number, of: Parameters<typeof getServiceChart>[0]["of"] = { scope: "service" }) {
    const chart = await getServiceChart({ service: "orders", range: { preset: "1h" }, of, now });
    return chart.points.find((point) => point.t === at);
  }

  test("a step merges its rows: counts add up, latency is the quantile of the merged buckets", async () => {
    const point = await pointAt(stepA);
    const merged = mergeBuckets(fast, slow);
    expect(point?.rps).toBe(300 / 20);
    expect(point?.errorRate).toBe(4 / 300);
    expect(point?.p50).toBeCloseTo(histogramQuantile(0.5, merged) * 1000, 9);
    expect(point?.p99).toBeCloseTo(histogramQuantile(0.99, merged) * 1000, 9);
    expect(point?.p99).toBeGreaterThan(100);
  });

  test("a step without rows is a gap; one with rows and no requests is a zero rate", async () => {
    expect(await pointAt(stepA + 20 * second)).toEqual({ t: stepA + 20 * second, rps: null, errorRate: null, p50: null, p95: null, p99: null });
    expect(await pointAt(stepA + 40 * second)).toEqual({ t: stepA + 40 * second, rps: 0, errorRate: null, p50: null, p95: null, p99: null });
  });

  test("the step in progress divides by the time its rows cover", async () => {
    expect((await pointAt(now - 40 * second))?.rps).toBe(50 / 10);
  });

  test("an instance's series reads only its rows", async () => {
    const point = await pointAt(stepA, { scope: "instance", instanceId: "orders-1" });
    expect(point?.rps).toBe(100 / 20);
    expect((await pointAt(stepA, { scope: "instance", instanceId: "orders-2" }))?.rps).toBeNull();
  });

  test.each([
    ["name", { scope: "service" }, "nowhere"],
    ["instance", { scope: "instance", instanceId: "orders-9" }, "orders"],
    ["callee", { scope: "edge", caller: "orders", callee: "nowhere" }, "orders"],
    ["caller", { scope: "edge", caller: "nowhere", callee: "orders" }, "orders"],
  ] as const)("an unknown %s is not_found, naming the field", async (field, of, service) => {
    await expect(getServiceChart({ service, range: { preset: "1h" }, of, now })).rejects.toMatchObject({ code: "not_found", field });
  });

  test("a removed instance's history can still be charted", async () => {
    await writeRows([{ key: orders("orders-old"), resolution: 10, atMs: stepA, signals: signals(10, 0, fast) }]);
    expect((await pointAt(stepA, { scope: "instance", instanceId: "orders-old" }))?.rps).toBe(10 / 20);
  });
});

describe("edges", () => {
  beforeAll(async () => {
    const edge = (caller: string, callee: string): TRollupKey => ({ scope: "edge", service: caller, instanceId: "", peer: callee });
    await writeRows([
      { key: edge("orders", "payments"), resolution: 60, atMs: now - 30 * minute, signals: signals(600, 6, null) },
      { key: edge("frontend", "orders"), resolution: 60, atMs: now - 30 * minute, signals: signals(1200, 0, null) },
    ]);
  });

  test("caller -> callee reads the caller's rows towards the callee; peers list both directions", async () => {
    const out = await getServiceChart({ service: "orders", range: { preset: "6h" }, of: { scope: "edge", caller: "orders", callee: "payments" }, now });
    const into = await getServiceChart({ service: "orders", range: { preset: "6h" }, of: { scope: "edge", caller: "frontend", callee: "orders" }, now });
    expect(out.points.find((point) => point.t === now - 30 * minute)?.rps).toBe(600 / 120);
    expect(into.points.find((point) => point.t === now - 30 * minute)?.rps).toBe(1200 / 120);
    expect(out.peers).toEqual({ callers: ["frontend"], callees: ["payments"] });
  });

  test("an edge that does not touch the service is refused", async () => {
    await expect(
      getServiceChart({ service: "orders", range: { preset: "6h" }, of: { scope: "edge", caller: "frontend", callee: "payments" }, now }),
    ).rejects.toMatchObject({ code: "validation_failed" });
  });
});

describe("markers", () => {
  const takeover = (shares: [string, number][]) => JSON.stringify(shares.map(([id, share]) => ({ id, weight: 100, share })));

  beforeAll(async () => {
    await db.healthEvent.createMany({
      data: [
        healthEvent("orders-2", "passing", "critical", now - 20 * minute),
        healthEvent("orders-2", "critical", "passing", now - 5 * minute),
        healthEvent("orders-1", "passing", "warning", now - 4 * minute),
        healthEvent("orders-1", "passing", "critical", now - 2 * 3_600_000),
        healthEvent("payments-1", "passing", "critical", now - 3.5 * minute, "payments"),
      ],
    });
    await db.failoverEvent.createMany({
      data: [
        {
          service: "orders",
          kind: "failover",
          instanceId: "orders-2",
          reason: "critical",
          takeover: takeover([["orders-1", 1]]),
          at: new Date(now - 20 * minute + 1),
        },
        {
          service: "orders",
          kind: "recovery",
          instanceId: "orders-2",
          reason: "passing",
          takeover: takeover([
            ["orders-1", 0.5],
            ["orders-2", 0.5],
          ]),
          at: new Date(now - 5 * minute + 1),
        },
        { service: "orders", kind: "outage", instanceId: null, reason: "none left", at: new Date(now - 3 * minute) },
        { service: "orders", kind: "outage-end", instanceId: null, reason: "back", takeover: takeover([["orders-1", 1]]), at: new Date(now - minute) },
      ],
    });
  });

  test("the service's chart shows its health and failover events in the range, oldest first, toned by kind", async () => {
    const { markers } = await getServiceChart({ service: "orders", range: { preset: "1h" }, of: { scope: "service" }, now });
    expect(markers.map(({ kind, tone, label }) => [kind, tone, label])).toEqual([
      ["health", "critical", "orders-2 passing → critical"],
      ["failover", "critical", "failover: orders-2 out, orders-1 takes 100%"],
      ["health", "ok", "orders-2 critical → passing"],
      ["recovery", "ok", "recovery: orders-2 back, orders-1 50%, orders-2 50% take over"],
      ["health", "warning", "orders-1 passing → warning"],
      ["outage", "critical", "outage: no orders instance can take traffic"],
      ["outage-end", "ok", "outage over: orders-1 takes 100%"],
    ]);
  });

  test("an instance's chart shows its own events and the service's outages", async () => {
    const { markers } = await getServiceChart({ service: "orders", range: { preset: "1h" }, of: { scope: "instance", instanceId: "orders-1" }, now });
    expect(markers.map((marker) => marker.kind)).toEqual(["health", "outage", "outage-end"]);
    expect(markers[0]?.instanceId).toBe("orders-1");
  });

  test("an edge's chart shows the events of both ends, each named", async () => {
    const { markers } = await getServiceChart({
      service: "orders",
      range: { preset: "15m" },
      of: { scope: "edge", caller: "orders", callee: "payments" },
      now,
    });
    expect(markers.map((marker) => marker.label)).toEqual([
      "orders: orders-2 critical → passing",
      "orders: recovery: orders-2 back, orders-1 50%, orders-2 50% take over",
      "orders: orders-1 passing → warning",
      "payments: payments-1 passing → critical",
      "orders: outage: no orders instance can take traffic",
      "orders: outage over: orders-1 takes 100%",
    ]);
  });

  test("operator changes are markers too: the service's chart has them all, an instance's its own, the policy's and the config's", async () => {
    const audit = (target: string, action: string, before: object, after: object, reason: string | null, at: number) => ({
      actorType: "user",
      actorId: "u1",
      actorName: "ops@example.com",
      action,
      target,
      service: "ops",
      before: JSON.stringify(before),
      after: JSON.stringify(after),
      reason,
      at: new Date(at),
    });
    await db.service.create({
      data: { name: "ops", instances: { create: [1, 2].map((n) => ({ instanceId: `ops-${n}`, host: "127.0.0.1", port: 9100 + n })) } },
    });
    await db.auditEvent.createMany({
      data: [
        audit(
          "instance/ops/ops-1",
          "instance.weight",
          { weight: 100, enabled: true },
          { weight: 0, enabled: true, expiresAt: "2030-01-10T12:30:00.000Z" },
          "canary off",
          now - 10 * minute,
        ),
        audit("instance/ops/ops-2", "instance.enabled", { weight: 100, enabled: true }, { weight: 100, enabled: false }, null, now - 8 * minute),
        audit("service/ops", "service.policy", { policy: "weighted-round-robin" }, { policy: "p2c" }, null, now - 6 * minute),
        audit(
          "config/dev/ops/behaviour",
          "config.publish",
          { version: 1, content: '{"latencyMs":0}' },
          { version: 2, content: '{"latencyMs":150}' },
          "slow down",
          now - 4 * minute,
        ),
      ],
    });
    const service = await getServiceChart({ service: "ops", range: { preset: "1h" }, of: { scope: "service" }, now });
    expect(service.markers.map(({ kind, tone, label }) => [kind, tone, label])).toEqual([
      ["operator", "info", "ops@example.com: ops-1 weight 100 → 0, until 12:30 UTC (canary off)"],
      ["operator", "info", "ops@example.com: ops-2 enabled true → false"],
      ["operator", "info", "ops@example.com: ops policy weighted-round-robin → p2c"],
      ["operator", "info", 'ops@example.com: behaviour version 1 → 2, content {"latencyMs":0} → {"latencyMs":150} (slow down)'],
    ]);
    // A config change reaches every instance of the service: it is on each instance's chart too.
    const instance = await getServiceChart({ service: "ops", range: { preset: "1h" }, of: { scope: "instance", instanceId: "ops-1" }, now });
    expect(instance.markers.map((marker) => marker.label)).toEqual([service.markers[0]?.label, service.markers[2]?.label, service.markers[3]?.label]);
  });

  test("a busy range keeps the newest markers", async () => {
    await db.service.create({ data: { name: "busy" } });
    await db.healthEvent.createMany({
      data: Array.from({ length: chartMarkerCap + 50 }, (_, i) =>
        healthEvent("busy-1", i % 2 ? "critical" : "passing", i % 2 ? "passing" : "critical", now - (i + 1) * second, "busy"),
      ),
    });
    const { markers } = await getServiceChart({ service: "busy", range: { preset: "15m" }, of: { scope: "service" }, now });
    expect(markers).toHaveLength(chartMarkerCap);
    expect(markers.at(-1)?.at).toBe(now - second);
    expect(markers[0]?.at).toBe(now - chartMarkerCap * second);
  });
});

describe("on a seeded fleet", () => {
  beforeAll(async () => {
    await seedMetrics({ services: 2, instancesPerService: 3, edgesPerService: 1, hours: 7 * 24 + 2, now, prefix: "seeded" });
  }, 60_000);

  // The seed reaches a week back: the month's range would show its older part empty, as it is.
  test.each(chartRangeNames.filter((range) => chartRanges[range] <= chartRanges["7d"]))(
    "%s: at most 300 points, and no gap where rows of any resolution exist",
    async (range) => {
      const chart = await getServiceChart({ service: "seeded-000", range: { preset: range }, of: { scope: "service" }, now });
      expect(chart.points.length).toBeLessThanOrEqual(maxChartPoints);
      expect(chart.points.length).toBe(chartWindow({ range: { preset: range }, now }).steps);
      // The seed holds 1 h rows until a day ago, 1 min rows until an hour ago, then 10 s rows.
      expect(chart.points.filter((point) => point.rps === null)).toEqual([]);
      expect(chart.points.every((point) => point.p50 !== null && point.p99 !== null && point.p50 <= point.p99)).toBe(true);
    },
  );
});
