// The benchmark's fleet: one process serving GET /health on many loopback ports, forked by
// bench/health/run.ts (one) and bench/health/fleet.ts (several, each a range of the fleet; indexes are its own). It closes chosen listeners at the times it is told and reports when each
// closed, by its own clock (the same machine clock the collector and HAProxy stamp their events with).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type TTargetsMessage = { type: "kill"; kills: { index: number; afterMs: number }[] } | { type: "counts" } | { type: "stop" };
export type TTargetsReport =
  | { type: "ready"; ports: number[] }
  | { type: "killed"; index: number; at: number }
  | { type: "counts"; at: number; counts: number[] }
  | { type: "error"; message: string };

const count = Number(process.env.BENCH_TARGETS ?? "1000");
// The combined run (--combined): each target serves /metrics too, a small exposition both scrapers read every 10 s.
const withMetrics = process.env.BENCH_METRICS === "1";
const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];
const exposition = [
  "# HELP http_request_duration_seconds Request duration.",
  "# TYPE http_request_duration_seconds histogram",
  ...["200", "500"].flatMap((code) => [
    ...buckets.map((le, i) => `http_request_duration_seconds_bucket{method="GET",route="/api/orders",code="${code}",le="${le}"} ${(i + 1) * 10}`),
    `http_request_duration_seconds_bucket{method="GET",route="/api/orders",code="${code}",le="+Inf"} 90`,
    `http_request_duration_seconds_sum{method="GET",route="/api/orders",code="${code}"} 4.5`,
    `http_request_duration_seconds_count{method="GET",route="/api/orders",code="${code}"} 90`,
  ]),
  "",
].join("\n");

function send(report: TTargetsReport) {
  process.send?.(report);
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    // Port 0: the kernel picks free ports, so the run never collides with a server someone else started.
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });
}

async function main() {
  const servers: Server[] = [];
  // Requests each target answered, for --fleet: one checker each, and when a killed collector's share is checked again.
  const requests = new Uint32Array(count);
  for (let i = 0; i < count; i += 1) {
    const server = createServer((req, res) => {
      requests[i] = (requests[i] ?? 0) + 1;
      if (withMetrics && req.url === "/metrics") {
        res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
        return void res.end(exposition);
      }
      const ok = req.url === "/health";
      // Keep-alive as any HTTP/1.1 server: the collector reuses its connection; HAProxy's HTTP/1.0 checks close theirs.
      res.writeHead(ok ? 200 : 404, { "content-type": "text/plain" });
      res.end(ok ? "ok" : "not found");
    });
    // Node's default: longer than the 1 s between checks, so a kept connection is not closed under the next one.
    server.keepAliveTimeout = 5000;
    servers.push(server);
  }
  const ports: number[] = [];
  for (const server of servers) ports.push(await listen(server));
  send({ type: "ready", ports });

  const kill = (index: number) => {
    const server = servers[index];
    if (!server) return send({ type: "error", message: `no target ${index}` });
    // close() shuts the listening socket at once (new connections are refused from here on);
    // closeAllConnections() drops any probe that was already in flight.
    server.close();
    server.closeAllConnections();
    send({ type: "killed", index, at: Date.now() });
  };

  process.on("message", (message: TTargetsMessage) => {
    if (message.type === "kill") {
      const started = Date.now();
      for (const { index, afterMs } of message.kills) setTimeout(() => kill(index), Math.max(0, started + afterMs - Date.now()));
    } else if (message.type === "counts") {
      send({ type: "counts", at: Date.now(), counts: [...requests] });
    } else if (message.type === "stop") {
      for (const server of servers) server.close();
      process.exit(0);
    }
  });
  // The orchestrator went away: do not outlive it.
  process.on("disconnect", () => process.exit(0));
}

main().catch((error: unknown) => {
  send({ type: "error", message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
