import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { TRegistration } from "./registry-client";

export type TDemoInstance = { registration: TRegistration; close: () => Promise<void>; crashed: () => boolean };

/** How a demo instance's /health misbehaves, so the dashboard has failovers and latency to show. */
export type TDemoTrouble =
  | { kind: "fails"; firstAfterMs: number; everyMs: number; forMs: number }
  | { kind: "slow"; minMs: number; maxMs: number };

// Inside a failure window of `fails`: /health answers 500 from firstAfterMs on, for forMs of every everyMs.
function failingNow(trouble: TDemoTrouble | undefined, sinceStartMs: number): boolean {
  if (trouble?.kind !== "fails" || sinceStartMs < trouble.firstAfterMs) return false;
  return (sinceStartMs - trouble.firstAfterMs) % trouble.everyMs < trouble.forMs;
}

// Each instance has its own metrics registry, as separate processes would.
function createMetrics(service: string) {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  const duration = new Histogram({
    name: "http_request_duration_seconds",
    help: "Duration of HTTP requests in seconds",
    labelNames: ["method", "route", "code"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const requests = new Counter({ name: "http_requests_total", help: "HTTP requests", labelNames: ["method", "route", "code"], registers: [registry] });
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 100 });
  return { registry, duration, requests };
}

export async function createDemoInstance({
  service,
  id,
  zone,
  version,
  check = "ttl",
  trouble,
}: {
  service: string;
  id: string;
  zone: string;
  version: string;
  /** ttl: the fleet heartbeats it; http: Meshdeck's collector GETs /health every second. */
  check?: "ttl" | "http";
  trouble?: TDemoTrouble;
}): Promise<TDemoInstance> {
  const metrics = createMetrics(service);
  const started = Date.now();
  let crashed = false;

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const route = request.url?.split("?")[0] ?? "/";
    const stop = metrics.duration.startTimer({ method: request.method ?? "GET", route });
    const send = (code: number, type: string, body: string) => {
      response.writeHead(code, { "content-type": type });
      response.end(body);
      stop({ code: String(code) });
      metrics.requests.inc({ method: request.method ?? "GET", route, code: String(code) });
    };
    if (route === "/health") {
      const uptimeMs = Date.now() - started;
      if (failingNow(trouble, uptimeMs)) return send(500, "application/json", JSON.stringify({ status: "error", id, error: "connection pool exhausted" }));
      if (trouble?.kind === "slow") await new Promise((resolve) => setTimeout(resolve, trouble.minMs + Math.random() * (trouble.maxMs - trouble.minMs)));
      return send(200, "application/json", JSON.stringify({ status: "ok", id, uptimeMs }));
    }
    if (route === "/metrics") return send(200, metrics.registry.contentType, await metrics.registry.metrics());
    // Kills this one instance for real, as a dying process would: its port closes and its heartbeats stop.
    if (route === "/_demo/crash" && request.method === "POST") {
      crashed = true;
      send(202, "application/json", JSON.stringify({ id, crashed: true }));
      server.close();
      server.closeAllConnections();
      return;
    }
    return send(200, "application/json", JSON.stringify({ service, id, version }));
  };

  const server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    registration: {
      service,
      id,
      host: "127.0.0.1",
      port,
      tags: [`zone-${zone}`, `v${version.split(".")[0]}`],
      metadata: { version, zone, metricsPath: "/metrics", healthPath: "/health" },
      check: check === "ttl" ? { kind: "ttl", ttl: "3s" } : { kind: "http", path: "/health" },
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
    crashed: () => crashed,
  };
}
