import { describe, expect, test } from "vitest";
import { collapseAbove, groupKeyOf, groupTopology, namePrefix } from "./topology-groups";
import type { TTopologyEdge, TTopologyNode } from "../views";

const node = (id: string, extra: Partial<TTopologyNode> = {}): TTopologyNode => ({
  id,
  kind: "service",
  group: null,
  health: "passing",
  instances: { total: 1, passing: 1, warning: 0, critical: 0, unknown: 0 },
  tags: [],
  namespace: null,
  registered: true,
  members: [],
  rps: null,
  errorRate: null,
  p50: null,
  p95: null,
  p99: null,
  ...extra,
});

const edge = (caller: string, callee: string, extra: Partial<TTopologyEdge> = {}): TTopologyEdge => ({
  id: `${caller}->${callee}`,
  caller,
  callee,
  declared: false,
  observed: true,
  members: 1,
  rps: 10,
  errorRate: 0,
  p50: 5,
  p95: 20,
  p99: 40,
  ...extra,
});

describe("groupKeyOf", () => {
  test.each([
    ["billing-api", "billing"],
    ["billing.worker", "billing"],
    ["billing_db", "billing"],
    ["frontend", "frontend"],
    ["-odd", "-odd"],
  ])("the prefix of %s is %s", (name, prefix) => expect(namePrefix(name)).toBe(prefix));

  test.each([
    ["namespace", { namespace: "payments-team" }, "payments-team"],
    ["namespace", {}, "web"],
    ["tag", { tags: ["zone-a", "zone-b"] }, "zone-a"],
    ["tag", {}, "web"],
    ["prefix", { namespace: "payments-team", tags: ["zone-a"] }, "web"],
  ] satisfies [string, Partial<TTopologyNode>, string][])("by %s with %j: %s", (by, extra, key) =>
    expect(groupKeyOf(node("web-1", extra), by as "namespace" | "tag" | "prefix")).toBe(key),
  );
});

// Two namespaces of 30 services each (61 with the lone gateway), calling across and within.
const fleet = [
  node("gateway"),
  ...Array.from({ length: 30 }, (_, i) => node(`a-${i}`, { namespace: "team-a", rps: 1, errorRate: 0.5, p95: 10 + i })),
  ...Array.from({ length: 30 }, (_, i) => node(`b-${i}`, { namespace: "team-b", health: i === 3 ? "critical" : "passing" })),
];
const calls = [
  edge("gateway", "a-0", { rps: 20 }),
  edge("a-0", "a-1"),
  edge("a-1", "b-0", { rps: 30, errorRate: 0.1, p99: 100 }),
  edge("a-2", "b-1", { rps: 10, errorRate: 0, p99: 900 }),
  edge("b-1", "b-2"),
];

describe("groupTopology", () => {
  test(`up to ${collapseAbove} services nothing is collapsed, but each keeps its group`, () => {
    const small = fleet.slice(0, collapseAbove);
    const shown = groupTopology({ nodes: small, edges: calls, by: "namespace" });
    expect(shown.collapsed).toBe(false);
    expect(shown.nodes.map((each) => each.id)).toEqual(small.map((each) => each.id));
    expect(shown.nodes.find((each) => each.id === "a-3")?.group).toBe("team-a");
    expect(shown.edges).toBe(calls);
  });

  test("above, each group is one node with its services' health, instances and rates, and edges between groups merge", () => {
    const shown = groupTopology({ nodes: fleet, edges: calls, by: "namespace" });
    expect(shown.collapsed).toBe(true);
    expect(shown.nodes.map((each) => each.id)).toEqual(["gateway", "group:team-a", "group:team-b"]);
    const [, a, b] = shown.nodes;
    expect(a).toMatchObject({ kind: "group", group: "team-a", namespace: "team-a", health: "passing", rps: 30, errorRate: 0.5, p95: 39 });
    expect(a?.members).toHaveLength(30);
    expect(a?.instances.total).toBe(30);
    expect(b).toMatchObject({ health: "critical", rps: null });
    expect(shown.edges.map((each) => each.id)).toEqual(["gateway->group:team-a", "group:team-a->group:team-b"]);
    expect(shown.edges[1]).toMatchObject({ caller: "group:team-a", callee: "group:team-b", members: 2, rps: 40, errorRate: 0.075, p99: 900 });
  });

  test("an expanded group, or the group of the service in focus, shows its services", () => {
    for (const shown of [
      groupTopology({ nodes: fleet, edges: calls, by: "namespace", expanded: ["team-b"] }),
      groupTopology({ nodes: fleet, edges: calls, by: "namespace", keepOpen: ["b-7"] }),
    ]) {
      expect(shown.nodes).toHaveLength(1 + 1 + 30);
      expect(shown.edges.map((each) => each.id)).toEqual(["b-1->b-2", "gateway->group:team-a", "group:team-a->b-0", "group:team-a->b-1"]);
    }
  });

  test("by prefix, or not at all", () => {
    expect(groupTopology({ nodes: fleet, edges: calls, by: "prefix" }).nodes.map((each) => each.id)).toEqual(["gateway", "group:a", "group:b"]);
    const none = groupTopology({ nodes: fleet, edges: calls, by: "none" });
    expect([none.nodes.length, none.edges.length, none.collapsed]).toEqual([61, 5, false]);
  });
});
