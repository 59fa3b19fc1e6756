// A share of the benchmark's fleet: one process serving GET /metrics on many loopback ports, forked
// by bench/metrics/run.ts (several of them, so their CPU is measured apart from the scrapers').
// Each target has its own prom-client registry: a server histogram and counter by (method, route,
// code), a client histogram by peer_service, and the process_ / nodejs_ default metrics, all in
// prom-client's own text format. Simulated traffic moves the counts every second, so every scrape
// sees them increase. It counts the scrapes it answers, by scraper, for the runner to check.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { collectDefaultMetrics, Counter, Histogram, Registry } from "prom-client";
import { calleesOf, serviceName, serviceOf } from "./fleet";

export type TTargetsMessage = { type: "counts" } | { type: "sample" };
export type TScrapeCounts = { meshdeck: number[]; prometheus: number[]; other: number };
export type TTargetsReport =
  | { type: "ready"; ports: number[] }
  | ({ type: "counts" } & TScrapeCounts)
  | { type: "sample"; bytes: number; series: number; text: string }
  | { type: "error"; message: string };

const first = Number(process.env.BENCH_FIRST ?? "0");
const count = Number(process.env.BENCH_COUNT ?? "250");
const services = Number(process.env.BENCH_SERVICES ?? "100");

// Route, method, code and its share of the instance's ~20 requests/s; the 5xx ones make the error rate.
const routes = [
  { method: "GET", route: "/api/orders", code: "200", rps: 6, medianS: 0.012 },
  { method: "GET", route: "/api/orders/:id", code: "200", rps: 5, medianS: 0.008 },
  { method: "POST", route: "/api/orders", code: "201", rps: 2, medianS: 0.045 },
  { method: "PUT", route: "/api/orders/:id", code: "200", rps: 1, medianS: 0.03 },
  { method: "GET", route: "/api/items", code: "200", rps: 4, medianS: 0.02 },
  { method: "GET", route: "/api/orders", code: "404", rps: 0.5, medianS: 0.004 },
  { method: "GET", route: "/api/orders", code: "500", rps: 0.15, medianS: 0.25 },
  { method: "POST", route: "/api/orders", code: "503", rps: 0.05, medianS: 1.2 },
];
const serverBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const clientBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

// One set of process_ / nodejs_ metrics for the process, rendered once a second and served by every
// target after its own metrics (collecting them reads /proc: per scrape, it would cost 7x the rest).
const defaults = new Registry();
collectDefaultMetrics({ register: defaults });
let defaultsText = "";
const renderDefaults = async () => void (defaultsText = await defaults.metrics());

function send(report: TTargetsReport) {
  process.send?.(report);
}

// Latency around a median with a long right tail (log-normal, sigma 0.6).
function latency(medianS: number): number {
  const u = 1 - Math.random();
  const gaussian = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * Math.random());
  return medianS * Math.exp(0.6 * gaussian);
}

// A whole number of requests with the rate as its mean.
const arrivals = (rate: number) => Math.floor(rate + Math.random());

type TTarget = { registry: Registry; traffic: () => void };

// As Registry.metrics() joins its metrics: a blank line between them.
const render = async (target: TTarget) => `${await target.registry.metrics()}\n${defaultsText}`;

function makeTarget(index: number): TTarget {
  const registry = new Registry();
  const labelNames = ["method", "route", "code"] as const;
  const duration = new Histogram({
    name: "http_request_duration_seconds",
    help: "Duration of HTTP requests in seconds",
    labelNames,
    buckets: serverBuckets,
    registers: [registry],
  });
  const requests = new Counter({ name: "http_requests_total", help: "Total number of HTTP requests", labelNames, registers: [registry] });
  const client = new Histogram({
    name: "http_client_request_duration_seconds",
    help: "Duration of outgoing HTTP requests in seconds, by the service called",
    labelNames: ["peer_service", "method", "code"],
    buckets: clientBuckets,
    registers: [registry],
  });
  const peers = calleesOf(serviceOf(index), services).map(serviceName);
  const traffic = () => {
    for (const { method, route, code, rps, medianS } of routes) {
      const labels = { method, route, code };
      const n = arrivals(rps);
      for (let i = 0; i < n; i += 1) duration.observe(labels, latency(medianS));
      requests.inc(labels, n);
    }
    for (const peer of peers) {
      const n = arrivals(3);
      for (let i = 0; i < n; i += 1) client.observe({ peer_service: peer, method: "GET", code: "200" }, latency(0.01));
    }
  };
  // Every series exists from the first scrape on, as in a service that has been up for a while.
  for (const { method, route, code, medianS } of routes) {
    duration.observe({ method, route, code }, medianS);
    requests.inc({ method, route, code });
  }
  for (const peer of peers) client.observe({ peer_service: peer, method: "GET", code: "200" }, 0.01);
  return { registry, traffic };
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    // Port 0: the kernel picks free ports, so the run never collides with a server someone else started.
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });
}

const seriesIn = (text: string) => text.split("\n").filter((line) => line && !line.startsWith("#")).length;

async function main() {
  const targets = Array.from({ length: count }, (_, i) => makeTarget(first + i));
  const scrapes: TScrapeCounts = { meshdeck: new Array<number>(count).fill(0), prometheus: new Array<number>(count).fill(0), other: 0 };
  const ports: number[] = [];
  for (const [i, target] of targets.entries()) {
    const server = createServer((req, res) => {
      if (req.url !== "/metrics") {
        res.writeHead(404).end("not found");
        return;
      }
      const agent = req.headers["user-agent"] ?? "";
      if (agent.startsWith("meshdeck")) scrapes.meshdeck[i]! += 1;
      else if (agent.startsWith("Prometheus")) scrapes.prometheus[i]! += 1;
      else scrapes.other += 1;
      render(target).then(
        (text) => res.writeHead(200, { "content-type": target.registry.contentType }).end(text),
        (error: unknown) => res.writeHead(500).end(String(error)),
      );
    });
    // Scrapers keep their connection between scrapes, as with a Go exporter (Node's default closes idle ones after 5 s).
    server.keepAliveTimeout = 30_000;
    ports.push(await listen(server));
  }
  await renderDefaults();
  setInterval(() => {
    targets.forEach((target) => target.traffic());
    void renderDefaults();
  }, 1000);
  send({ type: "ready", ports });

  process.on("message", (message: TTargetsMessage) => {
    if (message.type === "counts") send({ type: "counts", ...scrapes });
    else if (message.type === "sample") {
      void render(targets[0]!).then((text) => send({ type: "sample", bytes: Buffer.byteLength(text), series: seriesIn(text), text }));
    }
  });
  // The runner went away: do not outlive it.
  process.on("disconnect", () => process.exit(0));
}

main().catch((error: unknown) => {
  send({ type: "error", message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
