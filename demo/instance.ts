import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import type { TConfigUpdate } from "@/lib/clients/config-client";
import type { TRegistration } from "@/lib/clients/registry-client";
import { createInstanceMetrics } from "./metrics";
import { createPeerClient, serverIdleMs, type TReach } from "./peer-client";
import { behaviours, listDependencies, sampleWorkMs, type TDemoService, type TRoute } from "./services";

export type TDemoInstance = { registration: TRegistration; close: () => Promise<void>; crashed: () => boolean; applyConfig: (update: TConfigUpdate) => void };

/** What the config center tells a demo instance to add to its own behaviour (`dev/<service>/behaviour`). */
type TLiveBehaviour = { latencyMs: number; errorRate: number };
const ZLiveBehaviour = z.object({
  latencyMs: z.number().min(0).max(5000).default(0),
  errorRate: z.number().min(0).max(1).default(0),
});

/** How a demo instance misbehaves, on /health and on business requests alike, so the dashboard has failovers and latency to show. */
export type TDemoTrouble = { kind: "fails"; firstAfterMs: number; everyMs: number; forMs: number } | { kind: "slow"; minMs: number; maxMs: number };

// Inside a failure window of `fails`: 500s from firstAfterMs on, for forMs of every everyMs.
function failingNow(trouble: TDemoTrouble | undefined, sinceStartMs: number): boolean {
  if (trouble?.kind !== "fails" || sinceStartMs < trouble.firstAfterMs) return false;
  return (sinceStartMs - trouble.firstAfterMs) % trouble.everyMs < trouble.forMs;
}

function slowMs(trouble: TDemoTrouble | undefined): number {
  return trouble?.kind === "slow" ? trouble.minMs + Math.random() * (trouble.maxMs - trouble.minMs) : 0;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function createDemoInstance({
  service,
  id,
  zone,
  version,
  check = "ttl",
  trouble,
  reach,
}: {
  service: TDemoService;
  id: string;
  zone: string;
  version: string;
  /** ttl: the fleet heartbeats it; http: Meshdeck's collector GETs /health every second. */
  check?: "ttl" | "http";
  trouble?: TDemoTrouble;
  /** Where calls to other services go. */
  reach: TReach;
}): Promise<TDemoInstance> {
  const behaviour = behaviours[service];
  const metrics = createInstanceMetrics(service);
  const peers = createPeerClient({ reach, metrics });
  const started = Date.now();
  let crashed = false;
  // Applied live from the config center; a version that does not parse is refused and the last good one kept.
  let live: TLiveBehaviour = { latencyMs: 0, errorRate: 0 };
  let applied: { version: number; gray: boolean; appliedAt: string | null; refused: string | null } = {
    version: 0,
    gray: false,
    appliedAt: null,
    refused: null,
  };
  const applyConfig = (update: TConfigUpdate) => {
    const parsed = ZLiveBehaviour.safeParse(
      (() => {
        try {
          return JSON.parse(update.content ?? "{}") as unknown;
        } catch {
          return null;
        }
      })(),
    );
    if (!parsed.success) {
      applied = { ...applied, refused: `version ${update.version}: ${parsed.error.issues[0]?.message ?? "not a behaviour"}` };
      return;
    }
    live = parsed.data;
    applied = { version: update.version, gray: update.gray, appliedAt: new Date().toISOString(), refused: null };
  };

  // A business request: own work, then each call in turn; a failed call fails the request with 502.
  const serve = async (route: TRoute): Promise<{ code: number; body: object }> => {
    if (failingNow(trouble, Date.now() - started)) {
      await sleep(1 + Math.random() * 3);
      return { code: 500, body: { error: "connection pool exhausted" } };
    }
    await sleep(sampleWorkMs(behaviour) + slowMs(trouble) + live.latencyMs);
    for (const call of route.calls) {
      const code = await peers.call(call);
      if (code === 0 || code >= 500) return { code: 502, body: { error: `${call.service} answered ${code || "nothing"}` } };
    }
    if (Math.random() < behaviour.errorRate + live.errorRate) return { code: 500, body: { error: "unexpected error" } };
    return { code: 200, body: { service, id } };
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const path = request.url?.split("?")[0] ?? "/";
    const method = request.method ?? "GET";
    const reply = (code: number, type: string, body: string) => {
      response.writeHead(code, { "content-type": type });
      response.end(body);
    };
    if (path === "/health") {
      const uptimeMs = Date.now() - started;
      if (failingNow(trouble, uptimeMs)) return reply(500, "application/json", JSON.stringify({ status: "error", id, error: "connection pool exhausted" }));
      await sleep(slowMs(trouble));
      return reply(200, "application/json", JSON.stringify({ status: "ok", id, uptimeMs }));
    }
    // What this instance runs with now, as the config center last told it: the way to see a change arrive.
    if (path === "/_demo/config") return reply(200, "application/json", JSON.stringify({ id, item: `dev/${service}/behaviour`, ...applied, behaviour: live }));
    if (path === "/metrics") return reply(200, metrics.registry.contentType, await metrics.registry.metrics());
    // Kills this one instance for real, as a dying process would: its port closes and its heartbeats stop.
    if (path === "/_demo/crash" && method === "POST") {
      crashed = true;
      reply(202, "application/json", JSON.stringify({ id, crashed: true }));
      server.close();
      server.closeAllConnections();
      peers.close();
      return;
    }
    if (path === "/") return reply(200, "application/json", JSON.stringify({ service, id, version }));

    // Only business requests are measured: probes and scrapes would dilute the service's rate and latency.
    const route = behaviour.routes.find((candidate) => candidate.method === method && candidate.path === path);
    const stop = metrics.serverDuration.startTimer({ method, route: route?.path ?? "other" });
    const { code, body } = route ? await serve(route) : { code: 404, body: { error: `no route ${method} ${path}` } };
    reply(code, "application/json", JSON.stringify(body));
    stop({ code: String(code) });
    metrics.serverRequests.inc({ method, route: route?.path ?? "other", code: String(code) });
  };

  const server = createServer((request, response) => void handle(request, response));
  server.keepAliveTimeout = serverIdleMs;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const dependencies = listDependencies(service).join(",");
  return {
    registration: {
      service,
      id,
      host: "127.0.0.1",
      port,
      tags: [`zone-${zone}`, `v${version.split(".")[0]}`],
      metadata: { version, zone, healthPath: "/health", ...(dependencies ? { dependencies } : {}) },
      check: check === "ttl" ? { kind: "ttl", ttl: "3s" } : { kind: "http", path: "/health" },
      metrics: { path: "/metrics" },
    },
    close: async () => {
      peers.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    crashed: () => crashed,
    applyConfig,
  };
}
