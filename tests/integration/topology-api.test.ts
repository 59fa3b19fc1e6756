import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, test } from "vitest";
import { adminAndToken, apiClient, unique } from "../support/client";
import { describeTargetsSideBySide } from "../support/side-by-side";

/** A caller's Prometheus endpoint: 50 more requests to `callee` (2 of them 500s) at every scrape. */
function startCallerMetrics(callee: () => string) {
  let scrapes = 0;
  const server: Server = createServer((_request, response) => {
    scrapes += 1;
    const ok = 48 * scrapes;
    const failed = 2 * scrapes;
    const series = (code: string, count: number) => {
      const labels = `peer_service="${callee()}",code="${code}"`;
      return [
        `http_client_request_duration_seconds_bucket{${labels},le="0.05"} ${count / 2}`,
        `http_client_request_duration_seconds_bucket{${labels},le="0.1"} ${count}`,
        `http_client_request_duration_seconds_bucket{${labels},le="+Inf"} ${count}`,
        `http_client_request_duration_seconds_count{${labels}} ${count}`,
        `http_client_request_duration_seconds_sum{${labels}} ${count * 0.05}`,
      ];
    };
    response.setHeader("content-type", "text/plain; version=0.0.4");
    response.end(["# TYPE http_client_request_duration_seconds histogram", ...series("200", ok), ...series("500", failed), ""].join("\n"));
  });
  return new Promise<Server>((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

describeTargetsSideBySide("topology API on $name", (target) => {
  let api: Awaited<ReturnType<typeof adminAndToken>>["api"];
  const prefix = unique("topo");
  const [caller, callee, other] = ["caller", "callee", "other"].map((role) => `${prefix}-${role}`) as [string, string, string];
  let metrics: Server;
  let registeredAt = 0;

  beforeAll(async () => {
    ({ api } = await adminAndToken(target, unique("topology")));
    metrics = await startCallerMetrics(() => callee);
    const { port } = metrics.address() as AddressInfo;
    registeredAt = Date.now();
    const register = (service: string, extra: Record<string, unknown>) =>
      api.post("/api/v1/registry/instances", {
        service,
        id: `${service}-1`,
        host: "127.0.0.1",
        port,
        check: { kind: "ttl", ttl: "1h" },
        metrics: null,
        ...extra,
      });
    expect(
      (await register(caller, { tags: ["edge-zone"], metadata: { dependencies: `${callee},${prefix}-external` }, metrics: { path: "/metrics", port } })).status,
    ).toBe(201);
    expect((await register(callee, { tags: ["core"] })).status).toBe(201);
    expect((await register(other, { tags: ["core"] })).status).toBe(201);
  });

  afterAll(async () => {
    await new Promise((resolve) => metrics?.close(resolve));
  });

  test("without a session or token: 401", async () => {
    const response = await apiClient(target).get("/api/v1/topology");
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe("unauthorized");
  });

  test("services are nodes with instance counts; declared dependencies are edges, an unregistered callee a node", async () => {
    const response = await api.get(`/api/v1/topology?q=${prefix}`);
    expect(response.status).toBe(200);
    const { body } = response;
    expect(body).toMatchObject({ windowMs: 60_000, metrics: { resolution: 10, measuredMs: expect.any(Number) } });
    expect(Math.abs(body.at - Date.now())).toBeLessThan(60_000);
    expect(body.nodes.map((node: { id: string }) => node.id)).toEqual([callee, caller, `${prefix}-external`, other]);
    expect(body.nodes[1]).toMatchObject({
      id: caller,
      health: "passing",
      instances: { total: 1, passing: 1, warning: 0, critical: 0, unknown: 0 },
      tags: ["edge-zone"],
      registered: true,
    });
    expect(Object.keys(body.nodes[1]).sort()).toEqual([
      "errorRate",
      "group",
      "health",
      "id",
      "instances",
      "kind",
      "members",
      "namespace",
      "p50",
      "p95",
      "p99",
      "registered",
      "rps",
      "tags",
    ]);
    expect(body.nodes[2]).toMatchObject({ registered: false, health: "unknown", instances: { total: 0 } });
    expect(body.edges.map((edge: { id: string }) => edge.id)).toEqual([`${caller}->${callee}`, `${caller}->${prefix}-external`]);
    expect(body.edges[0]).toMatchObject({ caller, callee, declared: true });
  });

  test.each([
    ["tag", (p: string) => `q=${p}&tag=core`, (p: string) => [`${p}-callee`, `${p}-other`], []],
    [
      "a service and its neighbours",
      (p: string) => `q=${p}&service=${p}-callee`,
      (p: string) => [`${p}-callee`, `${p}-caller`],
      (p: string) => [`${p}-caller->${p}-callee`],
    ],
  ])("filters by %s", async (_name, query, nodes, edges) => {
    const { body } = await api.get(`/api/v1/topology?${query(prefix)}`);
    expect(body.nodes.map((node: { id: string }) => node.id)).toEqual(nodes(prefix));
    expect(body.edges.map((edge: { id: string }) => edge.id)).toEqual(typeof edges === "function" ? edges(prefix) : edges);
  });

  test("an earlier moment leaves out what was registered after it", async () => {
    const before = new Date(registeredAt - 60_000).toISOString();
    const { status, body } = await api.get(`/api/v1/topology?q=${prefix}&at=${encodeURIComponent(before)}&window=10m`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ at: registeredAt - 60_000, windowMs: 600_000, nodes: [], edges: [] });
  });

  test.each([
    ["at", "at=yesterday", "must be an ISO 8601 time"],
    ["at", `at=${Date.now() + 3_600_000}`, "must not be in the future"],
    ["window", "window=5s", "must be at least 10s"],
    ["window", "window=2d", "must be at most 24h"],
    ["window", "window=soon", "must be a duration"],
    ["service", "service=not%20a%20name", "may hold only"],
    ["q", "q=a&q=b", "must be given once"],
    ["colour", "colour=red", "Unrecognized key"],
  ])("422 naming %s for %s", async (field, query, message) => {
    const response = await api.get(`/api/v1/topology?${query}`);
    expect(response.status).toBe(422);
    expect(response.body.error).toMatchObject({ code: "validation_failed", field });
    expect(response.body.error.message).toContain(message);
  });

  test("a service to focus on that is not registered: 404", async () => {
    const response = await api.get(`/api/v1/topology?service=${prefix}-nowhere`);
    expect(response.status).toBe(404);
    expect(response.body.error).toMatchObject({ code: "not_found", field: "service" });
  });

  test("the caller's client metrics, once scraped, make the edge observed with its rate, error share and p95", async () => {
    let edge: Record<string, unknown> | undefined;
    // Two scrapes (10 s apart) make the first increase; its 10 s window is written a few seconds after it closes.
    for (const deadline = Date.now() + 75_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 2000))) {
      const { body } = await api.get(`/api/v1/topology?service=${caller}&window=30s`);
      edge = body.edges.find((one: { callee: string }) => one.callee === callee);
      if (edge?.observed) break;
    }
    expect(edge).toMatchObject({ declared: true, observed: true, errorRate: 0.04 });
    expect(edge?.rps).toBeGreaterThan(0);
    // Half the requests under 50 ms, the rest under 100 ms: p95 lies in (50, 100] ms.
    expect(edge?.p95).toBeGreaterThan(50);
    expect(edge?.p95).toBeLessThanOrEqual(100);
  }, 100_000);
});
