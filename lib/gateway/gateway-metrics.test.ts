import { expect, test } from "vitest";
import { defaultMetricNames } from "@/lib/metrics/types";
import { InstanceSignals } from "@/lib/metrics/scrape/derive";
import { parseExposition } from "@/lib/metrics/scrape/parse";
import { createGatewayMetrics } from "./gateway-metrics";

// The topology's gateway node showed 0 rps while its edges carried 20: the collector found no server metric to read.
test("the collector reads the gateway's own rate from what it served, and its edges from the attempts", async () => {
  const metrics = createGatewayMetrics();
  const signals = new InstanceSignals(defaultMetricNames);
  const scrape = async (atMs: number) => signals.next(parseExposition(await metrics.registry.metrics(), { openMetrics: false }), atMs);
  expect(await scrape(0)).toBeNull();
  for (let k = 0; k < 20; k++) {
    metrics.served("GET", k < 19 ? 200 : 502, 0.01);
    metrics.record("orders", "orders-1", "GET", k < 19 ? 200 : 0, 0.008);
  }
  metrics.record("orders", "orders-2", "GET", 200, 0.008);
  const increases = await scrape(10_000);
  expect(increases?.self).toMatchObject({ requests: 20, errors: 1 });
  expect(increases?.edges.get("orders")).toMatchObject({ requests: 21, errors: 1 });
  expect(signals.selfMetric).toBe("http_server_request_duration_seconds");
});
