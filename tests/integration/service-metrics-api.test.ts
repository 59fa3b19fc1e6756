import { beforeAll, describe, expect, inject, test } from "vitest";
import { adminAndToken, apiClient, unique } from "../support/client";
import { insertRollups, type TRollupRow as TRow } from "../support/rollups";

const targets = inject("targets");
const inf = null; // the +Inf bound, as rollup rows store it

describe.each(targets)("service metrics API on $name", (target) => {
  let api: Awaited<ReturnType<typeof adminAndToken>>["api"];
  let cookie: string;
  const service = unique("charted");
  const callee = unique("callee");
  const instanceId = unique("charted-1");
  // Whole 20 s steps of the 1 h chart, ending a minute ago: both of their 10 s windows are in.
  const stepStart = Math.floor(Date.now() / 20_000) * 20_000 - 60_000;

  beforeAll(async () => {
    ({ api, cookie } = await adminAndToken(target, "service-metrics"));
    for (const [name, id] of [
      [service, instanceId],
      [callee, unique("callee-1")],
    ] as const) {
      const created = await api.post("/api/v1/registry/instances", { service: name, id, host: "127.0.0.1", port: 9, metrics: null });
      expect(created.status).toBe(201);
    }
    const buckets = (fast: number, slow: number): TRow["buckets"] => [
      [0.01, fast],
      [0.1, fast + slow],
      [inf, fast + slow],
    ];
    await insertRollups(target, [
      { scope: "service", service, at: stepStart, requests: 100, errors: 2, buckets: buckets(90, 10) },
      { scope: "service", service, at: stepStart + 10_000, requests: 300, errors: 0, buckets: buckets(200, 100) },
      { scope: "edge", service, peer: callee, at: stepStart, requests: 40, errors: 4, buckets: buckets(40, 0) },
    ]);
  });

  const metricsPath = (query = "", name = service) => `/api/v1/services/${name}/metrics${query}`;

  test("answers the whole service over the last hour by default, in 20 s steps, with gaps as nulls", async () => {
    const response = await api.get(metricsPath());
    expect(response.status).toBe(200);
    const chart = response.body;
    expect(chart).toMatchObject({ service, of: { scope: "service" }, range: "1h", stepMs: 20_000, resolution: 10, peers: { callers: [], callees: [callee] } });
    expect(chart.to - chart.from).toBe(3_600_000);
    expect(chart.points.length).toBeGreaterThan(170);
    expect(chart.points.length).toBeLessThanOrEqual(300);
    for (const point of chart.points) expect(Object.keys(point).sort()).toEqual(["errorRate", "p50", "p95", "p99", "rps", "t"]);

    const step = chart.points.find((point: { t: number }) => point.t === stepStart);
    expect(step.rps).toBe(400 / 20);
    expect(step.errorRate).toBe(2 / 400);
    // 290 of the 400 requests took under 10 ms; the median is in the first bucket, the p99 in the second.
    expect(step.p50).toBeGreaterThan(0);
    expect(step.p50).toBeLessThanOrEqual(10);
    expect(step.p99).toBeGreaterThan(10);
    expect(step.p99).toBeLessThanOrEqual(100);
    expect(chart.points.find((point: { t: number }) => point.t === stepStart - 20_000)).toMatchObject({ rps: null, errorRate: null, p99: null });

    // Registering made the instance passing: that change is on the chart's timeline.
    expect(chart.markers).toContainEqual(expect.objectContaining({ kind: "health", tone: "ok", instanceId, label: `${instanceId} unknown → passing` }));
  });

  test("an edge: callee= is this service's calls out, caller= its calls in", async () => {
    const out = await api.get(metricsPath(`?range=15m&callee=${callee}`));
    expect(out.status).toBe(200);
    expect(out.body).toMatchObject({ of: { scope: "edge", caller: service, callee }, stepMs: 10_000 });
    expect(out.body.points.find((point: { t: number }) => point.t === stepStart)).toMatchObject({ rps: 4, errorRate: 0.1 });

    const into = await api.get(metricsPath(`?range=15m&caller=${service}`, callee));
    expect(into.body).toMatchObject({ of: { scope: "edge", caller: service, callee }, peers: { callers: [service], callees: [] } });
    expect(into.body.points.find((point: { t: number }) => point.t === stepStart)?.rps).toBe(4);
  });

  test("two moments: the steps between them, whatever the time now", async () => {
    const from = stepStart - 10 * 60_000;
    const response = await api.get(metricsPath(`?from=${new Date(from).toISOString()}&to=${stepStart + 60_000}`));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ range: null, from, to: stepStart + 60_000, resolution: 10 });
    // Eleven minutes read 10 s rows in 10 s steps: each of the two windows is a point of its own.
    expect(response.body.stepMs).toBe(10_000);
    expect(response.body.points.find((point: { t: number }) => point.t === stepStart)).toMatchObject({ rps: 10 });
    expect(response.body.points.find((point: { t: number }) => point.t === stepStart + 10_000)).toMatchObject({ rps: 30 });
  });

  test("a signed-in user's session reads it too", async () => {
    const response = await apiClient(target, { cookie }).get(metricsPath(`?range=7d&instance=${instanceId}`));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ range: "7d", stepMs: 3_600_000, resolution: 3600, of: { scope: "instance", instanceId } });
  });

  test.each([
    ["range", "?range=2h", "must be one of 15m, 1h, 6h, 24h, 7d, 30d"],
    ["from", "?from=banana&to=1", "must be an ISO 8601 time"],
    ["to", "?from=1000&to=1", "must be at least a minute after from"],
    ["from", `?from=0&to=${Date.now()}`, "longer than 30 days"],
    ["callee", `?instance=${"x"}&callee=${"y"}`, "give only one of instance, caller, callee"],
    ["caller", "?caller=not%20a%20name", "may hold only letters"],
    ["step", "?step=1m", ""],
  ])("a bad %s is a 422 naming it", async (field, query, message) => {
    const response = await api.get(metricsPath(query));
    expect(response.status).toBe(422);
    expect(response.body.error).toMatchObject({ code: "validation_failed", field });
    expect(response.body.error.message).toContain(message);
  });

  test.each([
    ["name", metricsPath("", "no-such-service")],
    ["instance", metricsPath("?instance=no-such-instance")],
    ["callee", metricsPath("?callee=no-such-service")],
  ])("an unknown %s is a 404 naming it", async (field, path) => {
    const response = await api.get(path);
    expect(response.status).toBe(404);
    expect(response.body.error).toMatchObject({ code: "not_found", field });
  });

  test("without a token or a session it is a 401", async () => {
    const response = await apiClient(target).get(metricsPath());
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe("unauthorized");
  });
});
