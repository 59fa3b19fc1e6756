import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { fetchMetrics, maxScrapeBytes, MetricsEndpoint } from "./fetch-metrics";

const exposition = '# TYPE x_total counter\nx_total{a="1"} 3\n';

// One real metrics server on 127.0.0.1, with the answers exporters give.
const routes: Record<string, (res: ServerResponse) => void> = {
  "/metrics": (res) => res.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(exposition),
  // Go's promhttp sends a large body in chunks.
  "/chunked": (res) => {
    res.writeHead(200, { "content-type": "application/openmetrics-text; version=1.0.0" });
    res.write(exposition.slice(0, 10));
    setTimeout(() => res.end(exposition.slice(10)), 10);
  },
  "/moved": (res) => res.writeHead(302, { location: "/metrics" }).end(),
  "/broken": (res) => res.writeHead(500).end("no"),
  "/short": (res) => {
    // Fewer bytes than its length says, then the connection closes.
    res.writeHead(200, { "content-length": "100" });
    res.write("only this", () => res.socket?.end());
  },
  "/huge": (res) => {
    res.writeHead(200);
    const block = "x".repeat(1024 * 1024);
    for (let i = 0; i <= maxScrapeBytes / block.length; i += 1) res.write(block);
    res.end();
  },
};

let server: Server;
let port = 0;
let connections = 0;
const agents: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    agents.push(`${req.headers["user-agent"]} ${req.headers.accept}`);
    (routes[req.url ?? ""] ?? ((r: ServerResponse) => r.writeHead(404).end()))(res);
  });
  server.on("connection", () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const scrape = (path: string, timeoutMs = 2000) => fetchMetrics({ host: "127.0.0.1", port, path, timeoutMs });

describe("a metrics endpoint", () => {
  test("is scraped again and again over one kept connection", async () => {
    const before = connections;
    const endpoint = new MetricsEndpoint({ host: "127.0.0.1", port, path: "/metrics", timeoutMs: 2000 });
    for (let i = 0; i < 3; i += 1) {
      const { body, contentType } = await endpoint.fetch();
      expect([body.toString("utf8"), contentType]).toEqual([exposition, "text/plain; version=0.0.4"]);
    }
    endpoint.close();
    expect(connections - before).toBe(1);
    expect(agents.at(-1)).toMatch(/^meshdeck-collector application\/openmetrics-text/);
  });

  test("a chunked body sent in pieces is whole", async () => {
    const { body, contentType } = await scrape("/chunked");
    expect([body.toString("utf8"), contentType]).toEqual([exposition, "application/openmetrics-text; version=1.0.0"]);
  });

  test.each([
    ["/moved", "HTTP 302 (redirects are not followed)"],
    ["/broken", "HTTP 500"],
    ["/missing", "HTTP 404"],
    ["/short", "the body ended before its length"],
    ["/huge", "body larger than 16 MiB"],
  ])("%s fails: %s", async (path, message) => {
    await expect(scrape(path)).rejects.toThrow(message);
  });

  test("a refused connection fails", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const free = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(fetchMetrics({ host: "127.0.0.1", port: free, path: "/metrics", timeoutMs: 500 })).rejects.toThrow("ECONNREFUSED");
  });

  test("the address policy is applied before connecting", async () => {
    await expect(fetchMetrics({ host: "169.254.169.254", port: 80, path: "/metrics", timeoutMs: 500 })).rejects.toThrow(/^refused by address policy/);
  });
});
