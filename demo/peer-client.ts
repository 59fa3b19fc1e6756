import { Agent, request } from "node:http";
import type { TInstanceMetrics } from "./metrics";
import type { TCall } from "./services";

/** Where a call to `path` of a service goes: an address and the path to ask it for; none when nothing takes traffic. */
export type TReach = (service: string, path: string) => { host: string; port: number; path: string } | undefined;

/** Through Meshdeck's gateway, which picks the instance by the service's policy: `<gateway>/<service><path>`. */
export function reachThroughGateway(gatewayUrl: string): TReach {
  const { hostname, port } = new URL(gatewayUrl);
  const host = hostname.replace(/^\[(.*)\]$/, "$1");
  return (service, path) => ({ host, port: Number(port || 80), path: `/${service}${path}` });
}

/** Straight to an instance the caller picks itself (from discovery), when no gateway runs. */
export function reachDirectly(pick: (service: string) => { host: string; port: number } | undefined): TReach {
  return (service, path) => {
    const instance = pick(service);
    return instance && { host: instance.host, port: instance.port, path };
  };
}

// Failures are not retried, as a plain HTTP client would not: they show on the edge as they happen.
const timeoutMs = 1000;

/** Demo servers keep idle connections this long; clients drop theirs sooner, so none is reused as it closes. */
export const serverIdleMs = 30_000;
export const clientIdleMs = 20_000;

/**
 * Calls other services and records each call in the caller's client metrics. The answer, and the
 * `code` label, is the HTTP status (the gateway's 502 or 503 when it could not get one); 503 when no
 * instance takes traffic; 0 when no response came (refused, reset, timed out), as Istio's
 * `response_code` does.
 */
export function createPeerClient({ reach, metrics }: { reach: TReach; metrics: TInstanceMetrics }) {
  // Keep-alive, as real clients do: a new connection per call would cost more than the call.
  const agent = new Agent({ keepAlive: true, timeout: clientIdleMs });

  const call = ({ service, method, path }: TCall) =>
    new Promise<number>((resolve) => {
      const started = performance.now();
      let settled = false;
      // eslint-disable-next-line prefer-const -- finish() may run before the timer is set; a const would throw in its TDZ
      let timer: NodeJS.Timeout | undefined;
      const finish = (code: number) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const labels = { peer_service: service, method, code: String(code) };
        metrics.clientDuration.observe(labels, (performance.now() - started) / 1000);
        metrics.clientRequests.inc(labels);
        resolve(code);
      };
      const target = reach(service, path);
      if (!target) return finish(503);
      const outgoing = request({ ...target, method, agent, headers: { "content-length": "0" } }, (response) => {
        response.on("end", () => finish(response.statusCode ?? 0));
        response.on("error", () => finish(0));
        response.resume();
      });
      outgoing.on("error", () => finish(0));
      timer = setTimeout(() => outgoing.destroy(new Error("timed out")), timeoutMs);
      outgoing.end();
    });

  return { call, close: () => agent.destroy() };
}
