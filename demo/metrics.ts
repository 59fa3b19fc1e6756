import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

// Fine between 10 and 200 ms, where the demo's p50/p95 live, so interpolated quantiles stay honest.
const buckets = [0.001, 0.0025, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.04, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 1, 2.5];

export type TInstanceMetrics = ReturnType<typeof createInstanceMetrics>;

/**
 * An instance's own registry, as a separate process would have: what it serves (`http_request_*`)
 * and what it calls (`http_client_request*`, labelled with the callee in `peer_service`).
 */
export function createInstanceMetrics(service: string) {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  const serverLabels = ["method", "route", "code"] as const;
  const clientLabels = ["peer_service", "method", "code"] as const;
  const metrics = {
    registry,
    serverDuration: new Histogram({
      name: "http_request_duration_seconds",
      help: "Duration of HTTP requests served, in seconds",
      labelNames: serverLabels,
      buckets,
      registers: [registry],
    }),
    serverRequests: new Counter({ name: "http_requests_total", help: "HTTP requests served", labelNames: serverLabels, registers: [registry] }),
    clientDuration: new Histogram({
      name: "http_client_request_duration_seconds",
      help: "Duration of HTTP calls to other services, in seconds; code 0 when no response came",
      labelNames: clientLabels,
      buckets,
      registers: [registry],
    }),
    clientRequests: new Counter({
      name: "http_client_requests_total",
      help: "HTTP calls to other services; code 0 when no response came",
      labelNames: clientLabels,
      registers: [registry],
    }),
  };
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 100 });
  return metrics;
}
