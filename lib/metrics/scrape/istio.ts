// Reading Istio's standard metrics, as its reference names them
// (https://istio.io/latest/docs/reference/config/metrics/, "Metrics" and "Labels"):
// `reporter` is `source` on the client proxy (or a gateway) and `destination` on the server proxy;
// the destination is named by `destination_canonical_service` (canonical service, since Istio 1.6)
// or `destination_service_name`, either "unknown" when the proxy did not know it; the HTTP status
// is `response_code`; the duration histogram is in milliseconds.
import type { TLabelsView } from "../types";

export const istioRequests = "istio_requests_total";
export const istioDuration = "istio_request_duration_milliseconds";
export const istioStatusLabels = ["response_code"] as const;
export const istioUnitsPerSecond = 1000;

function known(value: string | undefined): value is string {
  return value !== undefined && value !== "" && value !== "unknown";
}

/** The callee of a client-proxy series; null for other reporters or a destination Istio could not name. */
export function istioCallee(labels: TLabelsView): string | null {
  if (labels.get("reporter") !== "source") return null;
  const canonical = labels.get("destination_canonical_service");
  if (known(canonical)) return canonical;
  const name = labels.get("destination_service_name");
  return known(name) ? name : null;
}

/**
 * "" (the instance itself) for a server-proxy series. A sidecar reports as destination only the
 * requests its own workload received, so these describe the instance's server side.
 */
export function istioInbound(labels: TLabelsView): string | null {
  return labels.get("reporter") === "destination" ? "" : null;
}
