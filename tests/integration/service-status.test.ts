import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, test } from "vitest";
import { adminAndToken, apiClient, signIn, unique } from "../support/client";
import { eventually } from "../support/eventually";
import { insertRollups, type TRollupRow } from "../support/rollups";
import { describeTargetsSideBySide } from "../support/side-by-side";

// The collector judges every 10 s from the last 5 minutes: a change shows within two turns.
const judged = { timeoutMs: 40_000, everyMs: 500 };
// A test that waits for a judgement has time for the wait and its requests.
const judgedTest = judged.timeoutMs + 20_000;

describeTargetsSideBySide("service status from signals on $name", (target) => {
  const service = unique("orders-like");
  let admin: ReturnType<typeof apiClient>;
  let api: ReturnType<typeof apiClient>;
  let server: ReturnType<typeof createServer>;

  beforeAll(async () => {
    ({ admin, api } = await adminAndToken(target, "service-status"));
    // A real instance that passes its HTTP check: its health is fine, only its signals miss the objectives.
    server = createServer((_request, response) => response.writeHead(200).end("ok"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    const check = { kind: "http", path: "/health", interval: "300ms", timeout: "200ms" };
    const created = await api.post("/api/v1/registry/instances", { service, id: `${service}-1`, host: "127.0.0.1", port, check, metrics: null });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    // The demo's orders: 5 % errors, and 10 of each 100 requests between 0.5 s and 1 s, so a p99 of 950 ms.
    const window = Math.floor(Date.now() / 10_000) * 10_000;
    const rows: TRollupRow[] = Array.from({ length: 24 }, (_, i) => ({
      scope: "service",
      service,
      at: window - (i + 1) * 10_000,
      requests: 100,
      errors: 5,
      buckets: [
        [0.5, 90],
        [1, 100],
        [null, 100],
      ],
    }));
    await insertRollups(target, rows);
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const statusOf = async () => (await admin.get(`/api/v1/services/${service}/status`)).body;

  test(
    "a service at 5 % errors and a 950 ms p99 is degraded, in its status, the list and the overview order",
    async () => {
      const view = await eventually(statusOf, (body) => body.status?.status === "degraded", judged);
      expect(view.objectives).toEqual({ errorRate: 0.01, p99Ms: 500, availability: 0.995 });
      expect(view.status.reason).toMatch(/^errors 5 % > 1 %; p99 950 ms > 500 ms/);
      expect(view.status.signals.errorRate).toBeCloseTo(0.05);
      expect(view.history[0]).toMatchObject({ to: "degraded" });

      const listed = await api.get(`/api/v1/services?q=${service}&status=degraded&sort=errors`);
      expect(listed.status).toBe(200);
      expect(listed.body).toMatchObject({ total: 1, page: 1, pages: 1 });
      expect(listed.body.services[0]).toMatchObject({ name: service, status: "degraded", instances: { total: 1 } });
      expect(listed.body.services[0].signals.p99).toBeCloseTo(950);
      // Least healthy first: nothing healthy or idle is listed before it.
      const byStatus = (await api.get("/api/v1/services?sort=status&limit=200")).body.services as { name: string; status: string }[];
      const at = byStatus.findIndex((row) => row.name === service);
      expect(at).toBeGreaterThanOrEqual(0);
      expect(byStatus.slice(0, at).every((row) => row.status === "failing" || row.status === "degraded")).toBe(true);
    },
    judgedTest,
  );

  test("bad objectives are refused, store nothing, and only an operator's session may change them", async () => {
    const path = `/api/v1/services/${service}/objectives`;
    for (const body of [{}, { errorRate: 2 }, { p99Ms: -1 }, { availability: "high" }, { errorRate: 0.1, extra: 1 }]) {
      const refused = await admin.put(path, body);
      expect(refused.status, JSON.stringify(body)).toBe(422);
    }
    expect((await admin.put(path, undefined)).status).toBeGreaterThanOrEqual(400);
    expect((await api.put(path, { errorRate: 0.5 })).status).toBe(403);
    const email = `${unique("viewer")}@example.com`;
    const password = `pw-${unique("p")}`;
    expect((await admin.post("/api/v1/users", { email, name: "A viewer", password, role: "viewer" })).status).toBe(201);
    const viewer = apiClient(target, { cookie: (await signIn(target, { email, password })).cookie });
    expect((await viewer.put(path, { errorRate: 0.5 })).status).toBe(403);
    expect((await admin.put(`/api/v1/services/${unique("nobody")}/objectives`, { errorRate: 0.5 })).status).toBe(404);
    expect((await statusOf()).objectives).toEqual({ errorRate: 0.01, p99Ms: 500, availability: 0.995 });
  });

  test(
    "objectives changed through the API are audited, and the service is judged by them",
    async () => {
      const changed = await admin.put(`/api/v1/services/${service}/objectives`, { errorRate: 0.06, p99Ms: 1000, reason: "a batch service" });
      expect(changed.status, JSON.stringify(changed.body)).toBe(200);
      expect(changed.body).toEqual({ service, objectives: { errorRate: 0.06, p99Ms: 1000, availability: 0.995 } });

      const audit = (await admin.get(`/api/v1/audit?service=${service}`)).body.events as { action: string; before: unknown; after: unknown; reason: string }[];
      expect(audit.find((event) => event.action === "service.objectives")).toMatchObject({
        before: { errorRate: 0.01, p99Ms: 500, availability: 0.995 },
        after: { errorRate: 0.06, p99Ms: 1000, availability: 0.995 },
        reason: "a batch service",
      });

      const view = await eventually(statusOf, (body) => body.status?.status === "healthy", judged);
      expect(view.history.slice(0, 2).map((change: { from: string; to: string }) => `${change.from}>${change.to}`)).toEqual([
        "degraded>healthy",
        expect.stringMatching(/>degraded$/),
      ]);
      // null puts an objective back to its default.
      expect((await admin.put(`/api/v1/services/${service}/objectives`, { errorRate: null })).body.objectives.errorRate).toBe(0.01);
    },
    judgedTest,
  );

  test("the list's query is checked: a bad sort, status or page is a 422", async () => {
    for (const query of ["sort=fastest", "status=sad", "page=0", "limit=1000", "order=up", "q=a&q=b", "nope=1"]) {
      expect((await api.get(`/api/v1/services?${query}`)).status, query).toBe(422);
    }
  });
});
