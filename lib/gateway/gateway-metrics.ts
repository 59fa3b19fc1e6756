import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

// The names and labels Meshdeck's collector reads as client metrics: each routed service becomes an edge
// gateway -> service. Fine between 1 ms and 1 s, where proxied calls live, so interpolated quantiles stay honest.
const buckets = [0.0005, 0.001, 0.0025, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 1, 2.5, 5, 10];
const labelNames = ["peer_service", "instance", "method", "code"] as const;

export type TGatewayMetrics = ReturnType<typeof createGatewayMetrics>;

/** The gateway's own registry, served on /_gateway/metrics. */
export function createGatewayMetrics() {
  const registry = new Registry();
  const duration = new Histogram({
    name: "http_client_request_duration_seconds",
    help: "Duration of requests the gateway sent to instances, per attempt, in seconds; code 0 when no response came",
    labelNames,
    buckets,
    registers: [registry],
  });
  const requests = new Counter({
    name: "http_client_requests_total",
    help: "Requests the gateway sent to instances, per attempt; code 0 when no response came",
    labelNames,
    registers: [registry],
  });
  // What the gateway itself answered, once per client request whatever the retries: its own rate in the topology.
  // Without it the collector found no server metric and wrote the gateway's rate as 0 while its edges carried traffic.
  const served = new Histogram({
    name: "http_server_request_duration_seconds",
    help: "Duration of client requests the gateway answered, in seconds; code 499 when the client left first",
    labelNames: ["method", "code"] as const,
    buckets,
    registers: [registry],
  });
  collectDefaultMetrics({ register: registry });
  // One pair of children per label set, found by one string key: prom-client would hash the label object each time.
  const children = new Map<string, { duration: Histogram.Internal<(typeof labelNames)[number]>; requests: Counter.Internal }>();

  return {
    registry,
    /** One attempt at an instance; `instance` is "" when the service had none to pick. */
    record(service: string, instance: string, method: string, code: number, seconds: number): void {
      const key = `${service} ${instance} ${method} ${code}`;
      let child = children.get(key);
      if (child === undefined) {
        const values = [service, instance, method, String(code)];
        child = { duration: duration.labels(...values), requests: requests.labels(...values) };
        children.set(key, child);
      }
      child.duration.observe(seconds);
      child.requests.inc();
    },
    /** One client request answered (or abandoned by the client: 499, as nginx writes it). */
    served(method: string, code: number, seconds: number): void {
      served.labels(method, String(code)).observe(seconds);
    },
  };
}
