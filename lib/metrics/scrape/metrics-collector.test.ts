import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { setMetricsSettings, ZMetricsSettings } from "../metrics-settings";
import { registerInstance } from "@/lib/registry/register-instance";
import { ZRegisterInstance } from "@/lib/registry/schemas";
import { exposition } from "@/tests/support/exposition";
import { MetricsCollector } from "./metrics-collector";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const service = "scrape-test";

type TTarget = { id: string; handle: (response: ServerResponse) => void };

const targets: TTarget[] = [
  {
    id: "good-1",
    handle: (() => {
      let scrapes = 0;
      return (response: ServerResponse) => response.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(exposition(++scrapes));
    })(),
  },
  { id: "answers-500", handle: (response) => response.writeHead(500).end("boom") },
  { id: "sends-garbage", handle: (response) => response.writeHead(200).end("<html>this is not\nmetrics</html>") },
  { id: "redirects", handle: (response) => response.writeHead(302, { location: "http://169.254.169.254/" }).end() },
  {
    id: "endless-body",
    handle: (response) => {
      response.writeHead(200);
      const chunk = Buffer.alloc(1024 * 1024, "a");
      const write = () => {
        while (!response.destroyed && response.write(chunk));
        if (!response.destroyed) response.once("drain", write);
      };
      write();
    },
  },
  { id: "never-answers", handle: () => undefined },
];

describe("metrics collector", () => {
  const servers: Server[] = [];
  const collector = new MetricsCollector({ collectorId: "collector-a", retainMs: { 10: 3_600_000, 60: 3_600_000, 3600: 3_600_000 } });

  beforeAll(async () => {
    await migrateDatabase();
    await setMetricsSettings({ actor: { type: "system", name: "test" }, settings: ZMetricsSettings.parse({ interval: "1s", timeout: "500ms" }) });
    for (const target of targets) {
      const server = createServer((_request, response) => target.handle(response));
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      servers.push(server);
      const { port } = server.address() as AddressInfo;
      await registerInstance({ input: ZRegisterInstance.parse({ service, id: target.id, host: "127.0.0.1", port }) });
    }
  });

  afterAll(async () => {
    await collector.shutdown();
    for (const server of servers) {
      server.closeAllConnections();
      server.close();
    }
  });

  test("scrapes its targets into rollups; each failing target gets its reason and stops no other", async () => {
    await collector.refresh({ liveIds: ["collector-a"] });
    await sleep(3500);
    // Far enough ahead that every open window counts as closed.
    await collector.flush({ now: Date.now() + 60_000 });

    const statuses = await db.instance.findMany({ where: { service: { name: service } }, select: { instanceId: true, scrapeError: true, lastScrapeAt: true } });
    const errors = Object.fromEntries(statuses.map((s) => [s.instanceId, s.scrapeError]));
    expect(statuses.every((s) => s.lastScrapeAt !== null)).toBe(true);
    expect(errors["good-1"]).toBeNull();
    expect(errors["answers-500"]).toBe("HTTP 500");
    expect(errors["sends-garbage"]).toMatch(/line 1/);
    expect(errors["redirects"]).toMatch(/HTTP 302 \(redirects are not followed\)/);
    expect(errors["endless-body"]).toMatch(/larger than 16 MiB|timed out/);
    expect(errors["never-answers"]).toBe("timed out after 500 ms");

    const rows = await db.metricRollup.findMany({ where: { resolution: 10, service } });
    const sum = (scope: string, pick: (r: (typeof rows)[number]) => number) => rows.filter((r) => r.scope === scope).reduce((total, r) => total + pick(r), 0);
    // The first scrape is the baseline; each later one adds 10 requests, one of them a 500.
    const requests = sum("instance", (r) => r.requests);
    expect(requests).toBeGreaterThanOrEqual(20);
    expect(requests % 10).toBe(0);
    expect(sum("instance", (r) => r.errors)).toBe(requests / 10);
    expect(sum("service", (r) => r.requests)).toBe(requests);
    const edges = rows.filter((r) => r.scope === "edge");
    expect(new Set(edges.map((r) => `${r.service}>${r.peer}`))).toEqual(new Set([`${service}>payments`]));
    expect(edges.reduce((total, r) => total + r.requests, 0)).toBe(requests / 5);
    // 90% of requests are under 50 ms: p50 interpolates inside the first bucket, p99 in the second.
    const instanceRow = rows.find((r) => r.scope === "instance" && r.requests > 0);
    expect(instanceRow?.p50Ms).toBeGreaterThan(0);
    expect(instanceRow?.p50Ms).toBeLessThanOrEqual(50);
    expect(instanceRow?.p99Ms).toBeGreaterThan(50);
    expect(instanceRow?.p99Ms).toBeLessThanOrEqual(100);
  });

  test("minute rollups are the sum of their 10 s rows", async () => {
    await collector.compact({ now: Date.now() + 3 * 60_000 });
    const fine = await db.metricRollup.aggregate({ where: { resolution: 10, service, scope: "service" }, _sum: { requests: true, errors: true } });
    const minute = await db.metricRollup.aggregate({ where: { resolution: 60, service, scope: "service" }, _sum: { requests: true, errors: true } });
    expect(minute._sum.requests).toBe(fine._sum.requests);
    expect(minute._sum.errors).toBe(fine._sum.errors);
  });
});
