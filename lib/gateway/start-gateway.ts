import { Agent, createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { hostname } from "node:os";
import { httpUrl, localAddress } from "@/lib/env";
import { log } from "@/lib/log";
import { followCatalog } from "./follow-catalog";
import { createGatewayMetrics, type TGatewayMetrics } from "./gateway-metrics";
import { keepRegistered } from "./keep-registered";
import { createProxy, sendError } from "./proxy-request";
import { RoutingTable } from "./routing-table";

/** The service the gateway registers as; it never routes to it, which would send requests round in a loop. */
export const GATEWAY_SERVICE = "gateway";
export const GATEWAY_METRICS_PATH = "/_gateway/metrics";
export const GATEWAY_HEALTH_PATH = "/_gateway/health";

const connectTimeoutMs = 1000;
const idleTimeoutMs = 60_000;
// Clients (the demo fleet keeps 20 s) may reuse a connection this long; node's 5 s would make them reconnect often.
const clientIdleMs = 30_000;

type TGatewayState = { table: RoutingTable; metrics: TGatewayMetrics; url: string; syncedAt: number };

// The gateway's own endpoints, under /_gateway/ (no service name starts with "_").
async function serveOwn(state: TGatewayState, incoming: IncomingMessage, outgoing: ServerResponse) {
  const path = incoming.url?.split("?")[0];
  if (path === GATEWAY_METRICS_PATH) {
    const body = await state.metrics.registry.metrics();
    outgoing.writeHead(200, { "content-type": state.metrics.registry.contentType });
    return void outgoing.end(body);
  }
  if (path === GATEWAY_HEALTH_PATH) {
    // Not ready until the first catalog came: before that every service would be unknown.
    const synced = state.syncedAt > 0;
    const body = JSON.stringify({
      status: synced ? "ok" : "starting",
      following: state.url,
      index: state.table.index,
      services: state.table.size,
      syncedAt: synced ? new Date(state.syncedAt).toISOString() : null,
    });
    outgoing.writeHead(synced ? 200 : 503, { "content-type": "application/json" });
    return void outgoing.end(body);
  }
  sendError(outgoing, 404, "not_found", `the gateway serves ${GATEWAY_HEALTH_PATH} and ${GATEWAY_METRICS_PATH}`);
}

/**
 * Starts the gateway: an HTTP reverse proxy on host:port routing `/<service>/<path>` by each service's policy and live
 * weights, following Meshdeck at `url` with `token`, and registered there as an instance of `gateway` whose client
 * metrics make the edges gateway -> service. Resolves once it listens.
 */
export async function startGateway({ url, token, host, port }: { url: string; token: string; host: string; port: number }) {
  const table = new RoutingTable({
    skip: GATEWAY_SERVICE,
    onRejected: (service, error) => log.warn(`gateway: ${service} keeps the instances it had: ${error.message}`),
  });
  const metrics = createGatewayMetrics();
  const state: TGatewayState = { table, metrics, url, syncedAt: 0 };
  // LIFO reuse keeps few connections warm, where FIFO would spread requests over every idle one until none times out.
  const agent = new Agent({ keepAlive: true, scheduling: "lifo", timeout: idleTimeoutMs });
  const proxy = createProxy({ table, metrics, agent, connectTimeoutMs, idleTimeoutMs });
  const server = createServer((incoming, outgoing) => {
    if (incoming.url?.startsWith("/_")) return void serveOwn(state, incoming, outgoing).catch(() => outgoing.destroy());
    proxy(incoming, outgoing);
  });
  server.keepAliveTimeout = clientIdleMs;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  const address = localAddress(host);

  const follower = followCatalog({
    url,
    token,
    onCatalog: (catalog) => {
      table.apply(catalog);
      if (state.syncedAt === 0) log.info(`gateway: routing ${table.size} services from ${url} (catalog index ${catalog.index})`);
      state.syncedAt = Date.now();
    },
    onError: (error, retryMs) => {
      const message = `gateway: cannot follow the catalog at ${url} (${error.message}); routing by the last one known, retrying in ${retryMs} ms`;
      if (retryMs <= 250) log.warn(message);
      else log.debug(message);
    },
    onRecovered: () => log.info(`gateway: following the catalog at ${url} again`),
  });
  const registration = keepRegistered({
    url,
    token,
    registration: {
      service: GATEWAY_SERVICE,
      id: `gateway-${hostname()
        .replace(/[^A-Za-z0-9._-]/g, "-")
        .slice(0, 64)}-${bound}`,
      host: address,
      port: bound,
      tags: ["gateway"],
      metadata: { role: "gateway" },
      check: { kind: "ttl", ttl: "3s" },
      metrics: { path: GATEWAY_METRICS_PATH },
    },
    onError: (error) => log.warn(`gateway: not registered with ${url} yet (${error.message}); trying every second`),
  });

  return {
    url: httpUrl(address, bound),
    port: bound,
    table,
    /** Stops following, deregisters, and closes once requests in flight are done (5 s at most). */
    stop: async () => {
      await Promise.all([follower.stop(), registration.stop()]);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const forced = setTimeout(() => server.closeAllConnections(), 5000);
      await closed;
      clearTimeout(forced);
      agent.destroy();
    },
  };
}
