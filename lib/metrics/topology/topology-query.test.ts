import { beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { toRollupRow, type TRollupKey } from "../rollup/rollup-rows";
import { getTopology } from "./topology-query";
import { serviceHealth } from "./topology-query-health";
import { resolutionsFor } from "./topology-query-window";
import type { TBuckets } from "../types";

const second = 1000;
const minute = 60_000;
const hour = 3_600_000;
const inf = Number.POSITIVE_INFINITY;
// Five seconds into a 10 s window: the live window is the six whole windows before 12:00:00.
const now = Date.parse("2030-01-10T12:00:05Z");
const liveWindows = Array.from({ length: 6 }, (_, i) => Date.parse("2030-01-10T11:59:00Z") + i * 10 * second);
const retainMs = { 10: 6 * hour, 60: 7 * 24 * hour, 3600: 90 * 24 * hour };

type TInstanceSpec = { id: string; health?: string; enabled?: boolean; tags?: string[]; dependencies?: string; registeredAt?: number };

let port = 9000;
async function addService(name: string, instances: TInstanceSpec[], createdAt?: number) {
  await db.service.create({
    data: {
      name,
      ...(createdAt ? { createdAt: new Date(createdAt) } : {}),
      instances: {
        create: instances.map(({ id, health = "passing", enabled = true, tags = [], dependencies, registeredAt }) => ({
          instanceId: id,
          host: "127.0.0.1",
          port: ++port,
          health,
          enabled,
          tags: JSON.stringify(tags),
          metadata: JSON.stringify(dependencies === undefined ? {} : { dependencies }),
          ...(registeredAt ? { registeredAt: new Date(registeredAt) } : {}),
        })),
      },
    },
  });
}

const service = (name: string): TRollupKey => ({ scope: "service", service: name, instanceId: "", peer: "" });
const edge = (caller: string, callee: string): TRollupKey => ({ scope: "edge", service: caller, instanceId: "", peer: callee });

async function addRows({
  key,
  resolution = 10,
  at,
  requests,
  errors = 0,
  buckets = null,
}: {
  key: TRollupKey;
  resolution?: number;
  at: number[];
  requests: number;
  errors?: number;
  buckets?: TBuckets | null;
}) {
  await db.metricRollup.createMany({
    data: at.map((atMs) => toRollupRow({ key, resolution, atMs, signals: { requests, errors, buckets, summary: null } })),
  });
}

const byId = <T extends { id: string }>(items: T[]) => Object.fromEntries(items.map((item) => [item.id, item]));

beforeAll(async () => {
  await migrateDatabase();
});

describe("serviceHealth", () => {
  const up = (health: string) => ({ health, takesTraffic: health === "passing" || health === "warning" });
  test.each([
    ["no instance", [], "unknown"],
    ["none reported yet", [up("unknown"), up("unknown")], "unknown"],
    ["all passing", [up("passing"), up("passing")], "passing"],
    ["one critical of two", [up("passing"), up("critical")], "warning"],
    ["one not reported yet", [up("passing"), up("unknown")], "warning"],
    ["all warning: they still take traffic", [up("warning"), up("warning")], "warning"],
    ["all critical", [up("critical"), up("critical")], "critical"],
    ["the only passing one is drained", [{ health: "passing", takesTraffic: false }, up("critical")], "critical"],
  ] as const)("%s: %s", (_name, instances, expected) => {
    expect(serviceHealth([...instances])).toBe(expected);
  });
});

describe("getTopology now", () => {
  beforeAll(async () => {
    await addService("agg-ok", [{ id: "ok-1" }, { id: "ok-2" }, { id: "ok-3" }]);
    await addService("agg-half", [{ id: "half-1" }, { id: "half-2", health: "critical" }]);
    await addService("agg-down", [
      { id: "down-1", health: "critical" },
      { id: "down-2", health: "passing", enabled: false },
    ]);
    await addService("agg-new", [{ id: "new-1", health: "unknown" }]);

    await addService("em-front", [
      { id: "front-1", tags: ["edge", "zone-a"] },
      { id: "front-2", tags: ["zone-b"] },
    ]);
    await addService("em-back", [{ id: "back-1", tags: ["zone-a"] }]);
    // Each window: 10 requests, 1 error; 5 under 50 ms, 8 under 100 ms, all under 500 ms.
    await addRows({
      key: edge("em-front", "em-back"),
      at: liveWindows,
      requests: 10,
      errors: 1,
      buckets: [
        [0.05, 5],
        [0.1, 8],
        [0.5, 10],
        [inf, 10],
      ],
    });
    await addRows({
      key: service("em-back"),
      at: liveWindows,
      requests: 30,
      errors: 3,
      buckets: [
        [0.05, 30],
        [inf, 30],
      ],
    });
    // Before the window, and the window still open at `now`: neither counts.
    await addRows({ key: edge("em-front", "em-back"), at: [liveWindows[0]! - 10 * second, liveWindows[5]! + 10 * second], requests: 1000 });

    await addService("dv-a", [
      { id: "a-1", dependencies: "dv-b, dv-c" },
      { id: "a-2", dependencies: "dv-b,dv-ext" },
    ]);
    await addService("dv-b", [{ id: "b-1", dependencies: "" }]);
    await addService("dv-c", [{ id: "c-1" }]);
    await addService("dv-d", [{ id: "d-1", tags: ["batch"] }]);
    await addRows({ key: edge("dv-a", "dv-b"), at: liveWindows, requests: 1 });
    await addRows({ key: edge("dv-a", "dv-d"), at: liveWindows, requests: 2 });
    // A client metric that stayed still: no traffic, and not declared either.
    await addRows({ key: edge("dv-b", "dv-d"), at: liveWindows, requests: 0 });
  });

  test.each([
    ["agg-ok", "passing", { total: 3, passing: 3, warning: 0, critical: 0, unknown: 0 }],
    ["agg-half", "warning", { total: 2, passing: 1, warning: 0, critical: 1, unknown: 0 }],
    ["agg-down", "critical", { total: 2, passing: 1, warning: 0, critical: 1, unknown: 0 }],
    ["agg-new", "unknown", { total: 1, passing: 0, warning: 0, critical: 0, unknown: 1 }],
  ])("%s is %s with its instances counted by health", async (name, health, instances) => {
    const topology = await getTopology({ now, q: "agg-" });
    expect(byId(topology.nodes)[name]).toMatchObject({ health, instances, registered: true });
  });

  test("edge rows of the window merge into one rate, error share and p95; rows outside it do not count", async () => {
    const topology = await getTopology({ now, q: "em-" });
    expect(topology.metrics).toEqual({ resolution: 10, from: liveWindows[0], to: liveWindows[5]! + 10 * second, measuredMs: 60 * second });
    expect(topology.edges).toHaveLength(1);
    const [merged] = topology.edges;
    expect(merged).toMatchObject({ id: "em-front->em-back", caller: "em-front", callee: "em-back", observed: true, declared: false, rps: 1, errorRate: 0.1 });
    // 60 requests: rank 57 lies in (100 ms, 500 ms], 9 of its 12 in: 100 + 400 * 9/12.
    expect(merged?.p95).toBeCloseTo(400, 6);
    expect(byId(topology.nodes)["em-back"]).toMatchObject({ rps: 3, errorRate: 0.1, p95: expect.any(Number) });
    expect(byId(topology.nodes)["em-front"]).toMatchObject({ rps: null, errorRate: null, p95: null, tags: ["edge", "zone-a", "zone-b"] });
  });

  test("the rate counts only the windows written so far: one the collector has not flushed yet is not read as idle", async () => {
    // 20 s on, the window is 11:59:20-12:00:20; nothing is written for 12:00:10 yet.
    const topology = await getTopology({ now: now + 20 * second, q: "em-" });
    expect(topology.metrics.measuredMs).toBe(50 * second);
    expect(topology.edges[0]?.rps).toBeCloseTo((4 * 10 + 1000) / 50, 9);
  });

  test("declared and observed edges; a declared callee outside the catalog becomes an unregistered node", async () => {
    const topology = await getTopology({ now, q: "dv-" });
    expect(byId(topology.edges)).toEqual({
      "dv-a->dv-b": expect.objectContaining({ declared: true, observed: true, rps: 0.1 }),
      "dv-a->dv-c": expect.objectContaining({ declared: true, observed: false, rps: null }),
      "dv-a->dv-d": expect.objectContaining({ declared: false, observed: true, rps: 0.2 }),
      "dv-a->dv-ext": expect.objectContaining({ declared: true, observed: false }),
    });
    expect(byId(topology.nodes)["dv-ext"]).toMatchObject({ registered: false, health: "unknown", instances: { total: 0 } });
    expect(topology.nodes.map((node) => node.id)).toEqual(["dv-a", "dv-b", "dv-c", "dv-d", "dv-ext"]);
  });

  test.each([
    ["by name, ignoring case", { q: "DV-A" }, ["dv-a"], []],
    ["by tag on any instance", { tag: "zone-a" }, ["em-back", "em-front"], ["em-front->em-back"]],
    ["by tag and name", { tag: "batch", q: "dv" }, ["dv-d"], []],
    ["a service and its direct neighbours", { service: "dv-b" }, ["dv-a", "dv-b"], ["dv-a->dv-b"]],
    [
      "a service, its callers and callees",
      { service: "dv-a" },
      ["dv-a", "dv-b", "dv-c", "dv-d", "dv-ext"],
      ["dv-a->dv-b", "dv-a->dv-c", "dv-a->dv-d", "dv-a->dv-ext"],
    ],
    ["a service's neighbours, by name too", { service: "dv-a", q: "dv-b" }, ["dv-b"], []],
  ])("filters %s", async (_name, filters, nodes, edges) => {
    const topology = await getTopology({ now, ...filters });
    expect(topology.nodes.map((node) => node.id)).toEqual(nodes);
    expect(topology.edges.map((item) => item.id)).toEqual(edges);
  });

  test("an unknown service to focus on is not found", async () => {
    await expect(getTopology({ now, service: "dv-nope" })).rejects.toMatchObject({ code: "not_found", field: "service" });
  });
});

describe("getTopology at an earlier moment", () => {
  const at = now - 30 * minute;
  const windowsBefore = (moment: number, resolution: number, count: number) => {
    const step = resolution * second;
    const end = Math.floor(moment / step) * step;
    return Array.from({ length: count }, (_, i) => end - (count - i) * step);
  };

  beforeAll(async () => {
    await addService("pt-x", [
      { id: "x-1", health: "critical", registeredAt: now - 2 * hour },
      { id: "x-2", health: "passing", registeredAt: now - 5 * minute },
      { id: "x-3", health: "passing", registeredAt: now - 2 * hour },
      { id: "x-4", health: "passing", registeredAt: now - 2 * hour },
    ]);
    await addService("pt-y", [{ id: "y-1", registeredAt: now - 2 * hour }]);
    await addService("pt-late", [{ id: "late-1", registeredAt: now - 5 * minute }], now - 5 * minute);
    const event = (instanceId: string, from: string, to: string, atMs: number) => ({
      service: "pt-x",
      source: "builtin",
      instanceId,
      from,
      to,
      reason: to,
      at: new Date(atMs),
    });
    await db.healthEvent.createMany({
      data: [
        event("x-1", "unknown", "passing", now - 50 * minute),
        event("x-1", "passing", "critical", now - 10 * minute),
        event("x-3", "passing", "critical", now - 40 * minute),
        event("x-3", "critical", "passing", now - 20 * minute),
        event("x-3", "passing", "warning", now - 15 * minute),
        event("x-3", "warning", "passing", now - 12 * minute),
      ],
    });
    await addRows({ key: edge("pt-x", "pt-y"), at: windowsBefore(at, 10, 6), requests: 10 });
    await addRows({ key: edge("pt-x", "pt-late"), at: liveWindows, requests: 60 });

    // Eight hours back the 10 s rows are past their retention: 1 min rows are read, even where 10 s ones linger.
    await addRows({ key: edge("pt-x", "pt-y"), resolution: 60, at: windowsBefore(now - 8 * hour, 60, 1), requests: 120 });
    await addRows({ key: edge("pt-x", "pt-y"), resolution: 10, at: windowsBefore(now - 8 * hour, 10, 6), requests: 9999 });
    // Thirty days back: 1 h rows, the one hour before `at` however short the window.
    await addRows({ key: edge("pt-x", "pt-y"), resolution: 3600, at: windowsBefore(now - 30 * 24 * hour, 3600, 1), requests: 7200 });
    // Two hours back only 1 min rows were kept (as the benchmark's seed leaves them): they are read instead.
    await addRows({ key: edge("pt-x", "pt-y"), resolution: 60, at: windowsBefore(now - 2 * hour, 60, 1), requests: 240 });
  });

  test("each instance's health is the state its first later event left; instances and services registered later are left out", async () => {
    const topology = await getTopology({ now, at, q: "pt-" });
    expect(topology.at).toBe(at);
    const x = byId(topology.nodes)["pt-x"];
    // x-1 was passing (critical since), x-2 is newer, x-3 was critical (passing since, via warning), x-4 never changed.
    expect(x).toMatchObject({ health: "warning", instances: { total: 3, passing: 2, critical: 1, warning: 0, unknown: 0 } });
    expect(topology.nodes.map((node) => node.id)).toEqual(["pt-x", "pt-y"]);
    expect(topology.edges).toEqual([expect.objectContaining({ id: "pt-x->pt-y", observed: true, rps: 1 })]);
  });

  test("now, the same service reads its current health", async () => {
    const topology = await getTopology({ now, q: "pt-" });
    expect(byId(topology.nodes)["pt-x"]).toMatchObject({ health: "warning", instances: { total: 4, passing: 3, critical: 1 } });
    expect(topology.edges.map((item) => item.id)).toEqual(["pt-x->pt-late"]);
  });

  test.each([
    ["8 h ago: 1 min rows", 8 * hour, 60, 2],
    ["30 d ago: 1 h rows", 30 * 24 * hour, 3600, 2],
    ["2 h ago with no 10 s rows kept: the 1 min rows", 2 * hour, 60, 4],
  ])("%s", async (_name, ago, resolution, rps) => {
    const topology = await getTopology({ now, at: now - ago, q: "pt-" });
    expect(topology.metrics.resolution).toBe(resolution);
    expect(topology.edges).toEqual([expect.objectContaining({ id: "pt-x->pt-y", observed: true, rps })]);
  });
});

describe("resolutionsFor", () => {
  test.each([
    ["live, 1 min", 0, minute, [10, 60, 3600]],
    ["live, 15 min: too many 10 s rows", 0, 15 * minute, [60, 3600]],
    ["live, 6 h", 0, 6 * hour, [3600]],
    ["5 h ago, 1 min", 5 * hour, minute, [10, 60, 3600]],
    ["7 h ago: 10 s rows are gone", 7 * hour, minute, [60, 3600]],
    ["8 d ago: 1 min rows are gone", 8 * 24 * hour, minute, [3600]],
    ["a year ago: nothing is kept, the coarsest is tried", 365 * 24 * hour, minute, [3600]],
  ])("%s", (_name, ago, windowMs, expected) => {
    expect(resolutionsFor({ at: now - ago, windowMs, now, retainMs })).toEqual(expected);
  });
});

describe("getTopology at fleet size", () => {
  // 1001 services in ten namespaces and 3100 observed edges among the first 900: past both bounds.
  const fleet = Array.from({ length: 1001 }, (_, i) => `fl-${String(i).padStart(4, "0")}`);
  // The services past the bound are the last by name: the fleet's last few, so team-3 keeps 99 of its 100.
  const keptInTeam3 = 99;
  const calls = Array.from({ length: 3100 }, (_, i) => ({ caller: fleet[i % 900]!, callee: fleet[(i * 7 + 1 + Math.floor(i / 900)) % 900]!, requests: i + 1 }));

  beforeAll(async () => {
    await db.service.createMany({ data: fleet.map((name) => ({ name })) });
    const ids = await db.service.findMany({ where: { name: { startsWith: "fl-" } }, select: { id: true, name: true } });
    await db.instance.createMany({
      data: ids.map(({ id, name }) => ({
        serviceId: id,
        instanceId: `${name}-1`,
        host: "127.0.0.1",
        port: ++port,
        health: "passing",
        tags: "[]",
        metadata: JSON.stringify({ namespace: `team-${Number(name.slice(3)) % 10}` }),
      })),
    });
    // One window each: the minute's rate is the window's requests over the 60 s the other services' rows cover.
    const rows = calls.map(({ caller, callee, requests }) =>
      toRollupRow({ key: edge(caller, callee), resolution: 10, atMs: liveWindows[5]!, signals: { requests, errors: 0, buckets: null, summary: null } }),
    );
    await db.metricRollup.createMany({ data: rows });
  }, 60_000);

  test("holds at most 1000 services and the 3000 busiest edges, and says how many it left out", async () => {
    const topology = await getTopology({ now, group: "none" });
    const services = await db.service.count();
    expect(topology.nodes).toHaveLength(1000);
    expect(topology.edges).toHaveLength(3000);
    // Left out: the catalog's last services by name, and callees outside the catalog that no longer fit.
    expect(topology.shape.omitted.services).toBeGreaterThanOrEqual(services - 1000);
    expect(topology.shape.omitted.edges).toBeGreaterThanOrEqual(100);
    // Edge i holds i + 1 requests over the minute: the 100 quietest are the ones left out.
    expect(Math.min(...topology.edges.map((item) => item.rps ?? 0))).toBeCloseTo(101 / 60, 9);
  });

  test("groups collapse by namespace (services without one by name prefix), into a payload a page can hold", async () => {
    const topology = await getTopology({ now });
    expect(topology.shape).toMatchObject({ by: "namespace", collapsed: true, expanded: [] });
    const groups = topology.nodes.filter((node) => node.kind === "group");
    expect(groups.map((node) => node.id)).toEqual(expect.arrayContaining(["group:team-0", "group:team-9", "group:dv"]));
    expect(topology.nodes.length).toBeLessThan(30);
    expect(groups.find((node) => node.id === "group:team-3")?.members).toHaveLength(keptInTeam3);
    expect(topology.edges.every((item) => item.members >= 1)).toBe(true);
    expect(JSON.stringify(topology).length).toBeLessThan(100_000);
  });

  test("an expanded group shows its services, and so does the group of the service in focus", async () => {
    const expanded = await getTopology({ now, expand: ["team-3"] });
    expect(expanded.nodes.some((node) => node.id === "group:team-3")).toBe(false);
    expect(expanded.nodes.filter((node) => node.group === "team-3" && node.kind === "service")).toHaveLength(keptInTeam3);
    const focused = await getTopology({ now, service: "fl-0003", hops: 2 });
    expect(focused.shape.focus).toEqual({ service: "fl-0003", hops: 2 });
    expect(focused.nodes.some((node) => node.id === "fl-0003")).toBe(true);
    const oneHop = await getTopology({ now, service: "fl-0003", hops: 1, group: "none" });
    const twoHops = await getTopology({ now, service: "fl-0003", hops: 2, group: "none" });
    expect(twoHops.nodes.length).toBeGreaterThan(oneHop.nodes.length);
  });
});
