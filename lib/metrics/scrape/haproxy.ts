// Reading HAProxy's Prometheus exporter (built into HAProxy 2.6 as the `prometheus-exporter` service, served on the
// stats frontend: `http-request use-service prometheus-exporter if { path /metrics }`). Its HTTP responses are
// counted per proxy (`proxy` label) and status class (`code`: 1xx..5xx, other). A backend's responses are what
// HAProxy sent to it: an edge from HAProxy to the service the backend routes, which the data planes' naming rule
// names as the backend. Its frontends' responses, together, are HAProxy's own traffic. The 2.6 exporter has no
// latency histogram (only a moving average), so these carry rates and errors, not quantiles.
import type { TLabelsView } from "../types";

export const haproxyBackendResponses = "haproxy_backend_http_responses_total";
export const haproxyFrontendResponses = "haproxy_frontend_http_responses_total";
export const haproxyStatusLabels = ["code"] as const;

/** The callee of a backend series: the backend's name. */
export function haproxyBackend(labels: TLabelsView): string | null {
  return labels.get("proxy") || null;
}

/** "" (HAProxy itself) for every frontend's series. */
export function haproxyFrontend(labels: TLabelsView): string | null {
  return labels.get("proxy") === undefined ? null : "";
}
