import { Agent, request } from "node:http";
import type { TInstanceMetrics } from "./metrics";
import type { TCall } from "./services";

/**
 * Where a call to a service goes. Today: one of its instances, picked by weight from discovery;
 * once the gateway lands (issue 5), the gateway's address instead. Nothing else needs to change.
 */
export type TReach = (service: string) => { host: string; port: number } | undefined;

// Failures are not retried, as a plain HTTP client would not: they show on the edge as they happen.
const timeoutMs = 1000;

/** Demo servers keep idle connections this long; clients drop theirs sooner, so none is reused as it closes. */
export const serverIdleMs = 30_000;
export const clientIdleMs = 20_000;

/**
 * Calls other services and records each call in the caller's client metrics. The answer, and the
 * `code` label, is the HTTP status; 503 when no instance takes traffic; 0 when no response came
 * (refused, reset, timed out), as Istio's `response_code` does.
 */
export function createPeerClient({ reach, metrics }: { reach: TReach; metrics: TInstanceMetrics }) {
  // Keep-alive, as real clients do: a new connection per call would cost more than the call.
  const agent = new Agent({ keepAlive: true, timeout: clientIdleMs });

  const call = ({ service, method, path }: TCall) =>
    new Promise<number>((resolve) => {
      const started = performance.now();
      let settled = false;
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
      const target = reach(service);
      if (!target) return finish(503);
      const outgoing = request({ host: target.host, port: target.port, method, path, agent, headers: { "content-length": "0" } }, (response) => {
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
