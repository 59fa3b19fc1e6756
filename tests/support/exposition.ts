// Text as a real exporter serves it, growing with every scrape: 10 requests (one a 500) and 2 calls to payments each time.
export function exposition(scrape: number) {
  const ok = 9 * scrape;
  const failed = scrape;
  return [
    "# HELP http_request_duration_seconds Duration of HTTP requests in seconds",
    "# TYPE http_request_duration_seconds histogram",
    `http_request_duration_seconds_bucket{le="0.05",code="200"} ${ok}`,
    `http_request_duration_seconds_bucket{le="0.1",code="200"} ${ok}`,
    `http_request_duration_seconds_bucket{le="+Inf",code="200"} ${ok}`,
    `http_request_duration_seconds_sum{code="200"} ${ok * 0.03}`,
    `http_request_duration_seconds_count{code="200"} ${ok}`,
    `http_request_duration_seconds_bucket{le="0.05",code="500"} 0`,
    `http_request_duration_seconds_bucket{le="0.1",code="500"} ${failed}`,
    `http_request_duration_seconds_bucket{le="+Inf",code="500"} ${failed}`,
    `http_request_duration_seconds_sum{code="500"} ${failed * 0.08}`,
    `http_request_duration_seconds_count{code="500"} ${failed}`,
    "# TYPE http_client_requests_total counter",
    `http_client_requests_total{peer_service="payments",code="200"} ${2 * scrape}`,
    "",
  ].join("\n");
}
