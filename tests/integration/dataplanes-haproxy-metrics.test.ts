// HAProxy's own Prometheus exporter (Debian's HAProxy 2.6, /metrics on its stats frontend) in the metrics pipeline:
// HAProxy registered as an instance with its exporter as metrics endpoint; the requests and 5xx it sends to a backend
// Meshdeck drives become an edge from the HAProxy node to the backend's service in the topology.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, test } from "vitest";
import { adminAndToken, unique } from "../support/client";
import { eventually } from "../support/eventually";
import { startHaproxy, type THaproxy } from "../support/haproxy";
import { describeTargetsSideBySide } from "../support/side-by-side";

type TEdge = { caller: string; callee: string; observed: boolean; rps: number | null; errorRate: number | null };
type TNode = { id: string; rps: number | null; errorRate: number | null };

describeTargetsSideBySide("HAProxy's exporter in the topology on $name", (target) => {
  const prefix = unique("hx");
  const [edge, orders, plane] = [`${prefix}-edge`, `${prefix}-orders`, `${prefix}-plane`];
  let haproxy: THaproxy;
  let upstream: Server;
  let clients: Awaited<ReturnType<typeof adminAndToken>>;
  let sending = true;
  let traffic: Promise<void> | undefined;

  beforeAll(async () => {
    haproxy = await startHaproxy({ backends: [orders] });
    // An instance that fails one request in ten with a 500.
    upstream = createServer((request, response) => {
      request.resume();
      response.writeHead(request.url?.startsWith("/fail") ? 500 : 200).end("x");
    });
    await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
    clients = await adminAndToken(target, unique("haproxy-metrics"));
  }, 60_000);

  afterAll(async () => {
    sending = false;
    await traffic;
    await clients?.admin.delete(`/api/v1/dataplanes/${plane}`);
    await haproxy?.stop();
    await new Promise((resolve) => upstream?.close(resolve));
  });

  test("requests and 5xx HAProxy sends to a backend become an edge from the HAProxy node to its service", async () => {
    const { port } = upstream.address() as AddressInfo;
    const register = (body: Record<string, unknown>) =>
      clients.api.post("/api/v1/registry/instances", { host: "127.0.0.1", check: { kind: "ttl", ttl: "300s" }, metrics: null, ...body });
    expect((await register({ service: orders, id: `${orders}-1`, port })).status).toBe(201);
    expect((await clients.admin.post("/api/v1/dataplanes", { name: plane, kind: "haproxy", address: haproxy.socket })).status).toBe(201);
    await eventually(
      () => fetch(`${haproxy.url}/ok`).then((answer) => answer.status),
      (status) => status === 200,
      { timeoutMs: 10_000 },
    );
    // HAProxy itself, scraped at its stats frontend.
    const haproxyPort = Number(new URL(haproxy.url).port);
    expect((await register({ service: edge, id: `${edge}-1`, port: haproxyPort, metrics: { path: "/metrics", port: haproxy.metricsPort } })).status).toBe(201);

    let sent = 0;
    traffic = (async () => {
      while (sending) {
        sent += 1;
        await fetch(`${haproxy.url}/${sent % 10 === 0 ? "fail" : "ok"}`).then(
          (answer) => answer.arrayBuffer(),
          () => undefined,
        );
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();

    // Two scrapes 10 s apart make an increase; its 10 s window is written once closed.
    const topology = await eventually(
      async () => (await clients.admin.get(`/api/v1/topology?q=${prefix}`)).body as { nodes: TNode[]; edges: TEdge[] },
      (body) => body.edges?.some((e) => e.caller === edge && e.callee === orders && e.observed && (e.rps ?? 0) > 0) ?? false,
      { timeoutMs: 60_000, everyMs: 1000 },
    );
    const found = topology.edges.find((e) => e.caller === edge && e.callee === orders)!;
    // One request in ten answered 500 (scrapes are not aligned with the traffic: roughly).
    expect(found.errorRate).toBeGreaterThan(0.03);
    expect(found.errorRate).toBeLessThan(0.2);
    expect(topology.nodes.find((node) => node.id === edge)?.rps).toBeGreaterThan(0);
  }, 90_000);
});
