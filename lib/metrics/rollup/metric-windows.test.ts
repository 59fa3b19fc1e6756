import { describe, expect, test } from "vitest";
import { MetricWindows } from "./metric-windows";
import type { TScrapeSignals, TSignals } from "../types";

const inf = Number.POSITIVE_INFINITY;
const signals = (requests: number): TSignals => ({
  requests,
  errors: 0,
  buckets: [
    [0.1, requests - 1],
    [inf, requests],
  ],
  summary: null,
});
const scrape = (requests: number, edge: number): TScrapeSignals => ({ self: signals(requests), edges: new Map([["callee", signals(edge)]]) });

describe("MetricWindows", () => {
  test("sums a service's instances and edges in a window, and leaves each instance's own sum alone", () => {
    const windows = new MetricWindows();
    const first = scrape(10, 4);
    windows.record({ service: "a", instanceId: "i1", scheduledAt: 1000, scrape: first });
    windows.record({ service: "a", instanceId: "i2", scheduledAt: 2000, scrape: scrape(20, 6) });
    // A late scrape of i1 counted in the same window.
    windows.record({ service: "a", instanceId: "i1", scheduledAt: 3000, scrape: scrape(5, 1) });
    const rows = windows.take({ closedBefore: 10_000 });
    const byScope = (scope: string, instanceId = "") => rows.find((row) => row.scope === scope && row.instanceId === instanceId);
    expect(byScope("service")).toMatchObject({ requests: 35 });
    expect(byScope("instance", "i1")).toMatchObject({ requests: 15 });
    expect(byScope("instance", "i2")).toMatchObject({ requests: 20 });
    expect(byScope("edge")).toMatchObject({ requests: 11, peer: "callee" });
    expect(windows.take({ closedBefore: 10_000 })).toEqual([]);
  });
});
