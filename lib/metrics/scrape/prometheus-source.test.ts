import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { setMetricsSettings, ZMetricsSettings } from "../metrics-settings";
import { registerInstance } from "@/lib/registry/register-instance";
import { ZRegisterInstance } from "@/lib/registry/schemas";
import { exposition } from "@/tests/support/exposition";
import { startPrometheus, type TPrometheus } from "@/tests/support/prometheus";
import { MetricsCollector } from "./metrics-collector";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const service = "via-prometheus";

async function listen(handler: Parameters<typeof createServer>[1]) {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

// A real Prometheus scrapes the targets; Meshdeck reads them back through its HTTP API instead of scraping.
describe("metrics read from a Prometheus server", () => {
  const servers: Server[] = [];
  const collector = new MetricsCollector({ collectorId: "collector-p", retainMs: { 10: 3_600_000, 60: 3_600_000, 3600: 3_600_000 } });
  let prometheus: TPrometheus;

  beforeAll(async () => {
    await migrateDatabase();
    let scrapes = 0;
    const good = await listen((_request, response) => response.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(exposition(++scrapes)));
    const failing = await listen((_request, response) => response.writeHead(500).end());
    const unknown = await listen((_request, response) => response.writeHead(200).end(exposition(1)));
    servers.push(good.server, failing.server, unknown.server);
    prometheus = await startPrometheus({
      scrapeConfigs: [{ job_name: "fleet", static_configs: [{ targets: [`127.0.0.1:${good.port}`, `127.0.0.1:${failing.port}`] }] }],
    });
    for (const [id, port] of [
      ["good", good.port],
      ["failing", failing.port],
      ["not-in-prometheus", unknown.port],
    ] as const) {
      await registerInstance({ input: ZRegisterInstance.parse({ service, id, host: "127.0.0.1", port }) });
    }
    await prometheus.waitFor(`count(up{job="fleet"})`, (result) => result[0]?.value === 2);
    await setMetricsSettings({
      actor: { type: "system", name: "test" },
      settings: ZMetricsSettings.parse({ source: "prometheus", prometheusUrl: prometheus.baseUrl, interval: "1s", timeout: "800ms" }),
    });
  }, 60_000);

  afterAll(async () => {
    await collector.shutdown();
    await prometheus?.stop();
    for (const server of servers) {
      server.closeAllConnections();
      server.close();
    }
  });

  test("the samples Prometheus scraped become the same rollups; targets it cannot scrape say why", async () => {
    await collector.refresh({ liveIds: ["collector-p"] });
    await sleep(5000);
    await collector.flush({ now: Date.now() + 60_000 });

    const statuses = await db.instance.findMany({ where: { service: { name: service } }, select: { instanceId: true, scrapeError: true } });
    const errors = Object.fromEntries(statuses.map((s) => [s.instanceId, s.scrapeError]));
    expect(errors.good).toBeNull();
    expect(errors.failing).toMatch(/last scrape .* failed \(up == 0\)/);
    expect(errors["not-in-prometheus"]).toMatch(/Prometheus does not scrape 127\.0\.0\.1:\d+/);

    const rows = await db.metricRollup.findMany({ where: { resolution: 10, service } });
    const requests = rows.filter((r) => r.scope === "instance" && r.instanceId === "good").reduce((sum, r) => sum + r.requests, 0);
    // Prometheus scrapes every second, Meshdeck reads every second: each read sees some ten-request steps.
    expect(requests).toBeGreaterThanOrEqual(20);
    expect(requests % 10).toBe(0);
    const errorsCount = rows.filter((r) => r.scope === "instance").reduce((sum, r) => sum + r.errors, 0);
    expect(errorsCount).toBe(requests / 10);
    const edges = rows.filter((r) => r.scope === "edge");
    expect(edges.map((r) => r.peer)).toContain("payments");
  });
});
