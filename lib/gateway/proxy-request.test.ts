import { Agent, createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import type { TBalancingPolicy } from "@/lib/balancing";
import { createGatewayMetrics } from "./gateway-metrics";
import { createProxy } from "./proxy-request";
import { RoutingTable } from "./routing-table";

type TSeen = { id: string; method: string; url: string; headers: IncomingMessage["headers"]; body: Buffer };
type THandler = (request: IncomingMessage, response: ServerResponse, body: Buffer) => void;

const servers: Server[] = [];
const seen: TSeen[] = [];

function listen(server: Server): Promise<number> {
  servers.push(server);
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
}

// An instance that records what reached it and answers with its id, or as `handler` says.
async function instance(id: string, handler?: THandler): Promise<{ id: string; port: number; server: Server }> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks);
      seen.push({ id, method: request.method!, url: request.url!, headers: request.headers, body });
      if (handler) return handler(request, response, body);
      response.writeHead(200, { "content-type": "application/json", "x-instance": id });
      response.end(JSON.stringify({ id, bytes: body.length }));
    });
  });
  return { id, port: await listen(server), server };
}

// A port nothing listens on: connections to it are refused.
async function deadPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const table = new RoutingTable();
const agent = new Agent({ keepAlive: true });
const options = { table, agent, connectTimeoutMs: 1000, idleTimeoutMs: 1000 };
// Fresh metrics, and so a fresh proxy, for each test: counts are then the test's own.
let metrics = createGatewayMetrics();
let proxy = createProxy({ ...options, metrics });
let gateway = "";

function route(
  name: string,
  instances: { id: string; port: number; weight?: number; host?: string }[],
  policy: TBalancingPolicy = "weighted-round-robin",
  hashHeader: string | null = null,
) {
  const services = [
    {
      service: name,
      index: 1,
      policy,
      hashHeader,
      instances: instances.map(({ id, port, weight = 1, host = "127.0.0.1" }) => ({ id, host, port, weight, tags: [], metadata: {}, health: "passing" })),
    },
  ];
  table.apply({ index: table.index + 1, services });
  return table.get(name)!;
}

async function sample(name: string, labels: Record<string, string>): Promise<number> {
  const metric = await metrics.registry.getSingleMetric(name)!.get();
  return metric.values
    .filter((value) => Object.entries(labels).every(([key, wanted]) => String(value.labels[key]) === wanted))
    .reduce((sum, value) => sum + value.value, 0);
}

beforeAll(async () => {
  gateway = `http://127.0.0.1:${await listen(createServer((request, response) => proxy(request, response)))}`;
});

afterEach(() => {
  seen.length = 0;
  metrics = createGatewayMetrics();
  proxy = createProxy({ ...options, metrics });
});

afterAll(async () => {
  agent.destroy();
  for (const server of servers) server.closeAllConnections();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

describe("the proxy", () => {
  test("spreads requests by the service's weights, exactly per cycle, with the path after the service name", async () => {
    const [a, b] = await Promise.all([instance("a"), instance("b")]);
    route("orders", [
      { ...a, weight: 1 },
      { ...b, weight: 3 },
    ]);
    for (let k = 0; k < 40; k++) expect((await fetch(`${gateway}/orders/items/${k}?q=1`)).status).toBe(200);
    expect(seen.filter(({ id }) => id === "a")).toHaveLength(10);
    expect(seen.filter(({ id }) => id === "b")).toHaveLength(30);
    expect(seen[0]).toMatchObject({ method: "GET", url: "/items/0?q=1" });
    expect(seen[0]!.headers).toMatchObject({
      "x-forwarded-for": "127.0.0.1",
      "x-forwarded-proto": "http",
      host: `127.0.0.1:${seen[0]!.id === "a" ? a.port : b.port}`,
    });
    expect(await sample("http_client_requests_total", { peer_service: "orders", instance: "b", method: "GET", code: "200" })).toBe(30);
  });

  test("streams a large body to the instance and its answer back", async () => {
    const echo = await instance("echo", (_, response, body) => {
      response.writeHead(201, { "content-type": "application/octet-stream" });
      // In pieces, so the answer goes out chunked and the gateway passes it on as it comes.
      for (let at = 0; at < body.length; at += 65_536) response.write(body.subarray(at, at + 65_536));
      response.end();
    });
    route("blobs", [echo]);
    const body = Buffer.alloc(3 * 1024 * 1024 + 7, 1).fill(7, 1000, 2000);
    const response = await fetch(`${gateway}/blobs/upload`, { method: "POST", body });
    expect(response.status).toBe(201);
    expect(Buffer.from(await response.arrayBuffer()).equals(body)).toBe(true);
    expect(seen[0]!.body.equals(body)).toBe(true);
  });

  test.each([
    ["GET", undefined],
    ["DELETE", undefined],
    ["PUT", "a body that was never sent to the first one"],
  ])("%s to an instance that refuses the connection moves once to another, body and all", async (method, body) => {
    const live = await instance("live");
    const dead = { id: "dead", port: await deadPort() };
    route("retry", [
      { ...dead, weight: 1000 },
      { ...live, weight: 1 },
    ]);
    const response = await fetch(`${gateway}/retry/thing`, { method, body });
    expect(response.status).toBe(200);
    expect(seen).toEqual([expect.objectContaining({ id: "live", method, body: Buffer.from(body ?? "") })]);
    expect(await sample("http_client_requests_total", { instance: "dead", code: "0" })).toBe(1);
    expect(await sample("http_client_requests_total", { instance: "live", code: "200" })).toBe(1);
  });

  test("counts each client request once as its own served rate, retried or refused, beside the attempts per instance", async () => {
    const live = await instance("live");
    route("served", [
      { id: "dead", port: await deadPort(), weight: 1000 },
      { ...live, weight: 1 },
    ]);
    for (let k = 0; k < 3; k++) expect((await fetch(`${gateway}/served/thing`)).status).toBe(200);
    expect((await fetch(`${gateway}/nowhere/thing`)).status).toBe(503);
    expect(await sample("http_server_request_duration_seconds", { method: "GET", code: "200" })).toBeGreaterThan(0);
    const exposition = await metrics.registry.metrics();
    const count = (code: string) =>
      exposition.match(new RegExp(`^http_server_request_duration_seconds_count\\{method="GET",code="${code}"\\} (\\d+)$`, "m"))?.[1];
    expect([count("200"), count("503")]).toEqual(["3", "1"]);
    expect(await sample("http_client_requests_total", { peer_service: "served" })).toBeGreaterThan(3);
  });

  test("a POST is not repeated: the failure is a 502 with a JSON error", async () => {
    const live = await instance("live");
    route("payments", [
      { id: "dead", port: await deadPort(), weight: 1000 },
      { ...live, weight: 1 },
    ]);
    const response = await fetch(`${gateway}/payments/charges`, { method: "POST", body: "{}" });
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({ error: { code: "bad_gateway", message: expect.stringContaining("ECONNREFUSED") } });
    expect(seen).toEqual([]);
  });

  test("a retry is tried once only: with every instance down, two attempts and a 502", async () => {
    const ports = await Promise.all([deadPort(), deadPort(), deadPort()]);
    route(
      "down",
      ports.map((port, i) => ({ id: `dead-${i}`, port })),
    );
    const response = await fetch(`${gateway}/down/`);
    expect(response.status).toBe(502);
    expect(await sample("http_client_requests_total", { peer_service: "down", code: "0" })).toBe(2);
  });

  // The gateway takes no credentials: an instance row at a metadata address, however it got in, is never reached.
  test.each(["169.254.169.254", "::ffff:a9fe:a9fe", "2852039166", "fd00:ec2:0:0:0:0:0:254", "fe80::1%lo"])("never forwards to %s", async (host) => {
    route("metadata", [{ id: "m", port: 80, host }]);
    for (const method of ["GET", "POST"]) {
      const response = await fetch(`${gateway}/metadata/latest/meta-data/`, { method });
      expect(response.status).toBe(502);
      // A GET would go to another instance, and there is none; a POST fails at once.
      const message =
        method === "GET" ? "m of 'metadata' could not be reached (refused by address policy: " : "metadata: m failed: refused by address policy: ";
      expect((await response.json()).error).toMatchObject({ code: "bad_gateway", message: expect.stringContaining(message) });
    }
    expect(await sample("http_client_requests_total", { peer_service: "metadata", instance: "m", code: "0" })).toBe(2);
  });

  test("a GET that meets a refused instance moves on to another", async () => {
    const ok = await instance("ok");
    route("half-refused", [{ id: "m", port: 80, host: "169.254.169.254" }, ok]);
    for (let k = 0; k < 4; k++) expect((await fetch(`${gateway}/half-refused/x`)).status).toBe(200);
    expect(seen.map(({ id }) => id)).toEqual(["ok", "ok", "ok", "ok"]);
  });

  test("an instance's own error answer is passed on, not retried", async () => {
    const failing = await instance("failing", (_, response) => response.writeHead(500, { "content-type": "text/plain" }).end("pool exhausted"));
    const other = await instance("other");
    route("flaky", [
      { ...failing, weight: 1000 },
      { ...other, weight: 1 },
    ]);
    const response = await fetch(`${gateway}/flaky/`);
    expect([response.status, await response.text()]).toEqual([500, "pool exhausted"]);
    expect(seen.map(({ id }) => id)).toEqual(["failing"]);
  });

  test.each([
    ["/nobody/x", 503, "unknown_service"],
    ["/empty/x", 503, "no_instance"],
    ["/", 404, "not_found"],
  ])("%s answers %i %s", async (path, status, code) => {
    route("empty", [{ id: "zero", port: 1, weight: 0 }]);
    const response = await fetch(`${gateway}${path}`);
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect((await response.json()).error.code).toBe(code);
  });

  test("an instance silent past the idle timeout is a 504", async () => {
    const silent = await instance("silent", () => {});
    route("slow", [silent]);
    const response = await fetch(`${gateway}/slow/`);
    expect(response.status).toBe(504);
    expect((await response.json()).error.code).toBe("gateway_timeout");
  });

  test("in-flight counts rise while a request runs and fall when it ends or the client leaves", async () => {
    const held: ServerResponse[] = [];
    const slow = await instance("slow", (_, response) => held.push(response));
    const balancer = route("held", [slow], "least-connections");
    const done = fetch(`${gateway}/held/1`);
    await expect.poll(() => held.length).toBe(1);
    expect(balancer.inFlight("slow")).toBe(1);
    held[0]!.end("ok");
    expect((await done).status).toBe(200);
    expect(balancer.inFlight("slow")).toBe(0);

    const leaving = new AbortController();
    const abandoned = fetch(`${gateway}/held/2`, { signal: leaving.signal }).catch(() => "aborted");
    await expect.poll(() => held.length).toBe(2);
    leaving.abort();
    expect(await abandoned).toBe("aborted");
    await expect.poll(() => balancer.inFlight("slow")).toBe(0);
    expect(await sample("http_client_requests_total", { instance: "slow", code: "0" })).toBe(1);
  });

  test("consistent-hash sends one key to one instance, read from the service's header", async () => {
    const instances = await Promise.all(["h1", "h2", "h3", "h4"].map((id) => instance(id)));
    route("sessions", instances, "consistent-hash", "X-Session");
    for (let k = 0; k < 10; k++) {
      for (let repeat = 0; repeat < 3; repeat++) await (await fetch(`${gateway}/sessions/`, { headers: { "x-session": `user-${k}` } })).text();
    }
    for (let k = 0; k < 10; k++) expect(new Set(seen.slice(3 * k, 3 * k + 3).map(({ id }) => id)).size).toBe(1);
    expect(new Set(seen.map(({ id }) => id)).size).toBeGreaterThan(1);
  });
});
