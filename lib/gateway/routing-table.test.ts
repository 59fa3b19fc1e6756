import { describe, expect, test } from "vitest";
import type { TBalancingPolicy } from "@/lib/balancing";
import type { TDiscoveredService } from "@/lib/registry/schemas";
import { RoutingTable } from "./routing-table";

function service(
  name: string,
  weights: number[],
  { policy = "weighted-round-robin", hashHeader = null, index = 1 }: { policy?: TBalancingPolicy; hashHeader?: string | null; index?: number } = {},
): TDiscoveredService {
  return {
    service: name,
    index,
    policy,
    hashHeader,
    instances: weights.map((weight, i) => ({ id: `${name}-${i + 1}`, host: "127.0.0.1", port: 9000 + i, weight, tags: [], metadata: {}, health: "passing" })),
  };
}

function picks(table: RoutingTable, name: string, n: number): string[] {
  return Array.from({ length: n }, () => table.get(name)!.pick()!.id);
}

describe("RoutingTable", () => {
  test("routes each service by its policy and weights, and knows nothing of services not in the catalog", () => {
    const table = new RoutingTable();
    table.apply({ index: 7, services: [service("orders", [1, 3]), service("users", [1, 1], { policy: "round-robin" })] });
    expect(table.index).toBe(7);
    expect(table.size).toBe(2);
    expect(picks(table, "orders", 8).sort()).toEqual(["orders-1", "orders-1", ...Array(6).fill("orders-2")]);
    expect(picks(table, "users", 4)).toEqual(["users-1", "users-2", "users-1", "users-2"]);
    expect(table.get("payments")).toBeUndefined();
    expect(table.get("orders")!.pick()).toMatchObject({ host: "127.0.0.1", port: 9001 });
  });

  test("a change updates the balancer in place: in-flight counts stay, new weights apply at once", () => {
    const table = new RoutingTable();
    table.apply({ index: 1, services: [service("orders", [100, 100], { policy: "least-connections" })] });
    const balancer = table.get("orders")!;
    balancer.acquire("orders-1");
    balancer.acquire("orders-1");
    table.apply({ index: 2, services: [service("orders", [100, 100, 100], { policy: "least-connections", index: 2 })] });
    expect(table.get("orders")).toBe(balancer);
    expect(balancer.inFlight("orders-1")).toBe(2);
    table.apply({ index: 3, services: [service("orders", [100, 0, 100], { policy: "least-connections", index: 3 })] });
    expect(new Set(picks(table, "orders", 6))).not.toContain("orders-2");
  });

  test.each([
    ["a new policy", { policy: "p2c" as const }],
    ["a new hash header", { policy: "consistent-hash" as const, hashHeader: "X-Session" }],
  ])("%s gets a new balancer", (_, change) => {
    const table = new RoutingTable();
    table.apply({ index: 1, services: [service("orders", [1, 1], { policy: "consistent-hash", hashHeader: "x-user" })] });
    const before = table.get("orders")!;
    expect(before.hashKey).toEqual({ header: "x-user" });
    table.apply({ index: 2, services: [service("orders", [1, 1], change)] });
    const after = table.get("orders")!;
    expect(after).not.toBe(before);
    expect(after.policy).toBe(change.policy);
    expect(after.hashKey).toEqual(change.policy === "consistent-hash" ? { header: "x-session" } : undefined);
  });

  test("a hash header means nothing to other policies", () => {
    const table = new RoutingTable();
    table.apply({ index: 1, services: [service("orders", [1], { policy: "random", hashHeader: "x-user" })] });
    expect(table.get("orders")!.hashKey).toBeUndefined();
  });

  test("services gone from the catalog are dropped; the skipped one (the gateway's own) is never routed", () => {
    const table = new RoutingTable({ skip: "gateway" });
    table.apply({ index: 1, services: [service("orders", [1]), service("users", [1]), service("gateway", [1])] });
    expect(table.get("gateway")).toBeUndefined();
    table.apply({ index: 2, services: [service("users", [1])] });
    expect([table.get("orders"), table.size]).toEqual([undefined, 1]);
  });

  test("a set the balancer refuses leaves the service with what it had, and says so", () => {
    const rejected: string[] = [];
    const table = new RoutingTable({ onRejected: (name, error) => rejected.push(`${name}: ${error.message}`) });
    table.apply({ index: 1, services: [service("orders", [1, 1])] });
    const bad = service("orders", [1, 1]);
    bad.instances[1] = { ...bad.instances[0]! };
    table.apply({ index: 2, services: [bad, service("users", [20_000])] });
    expect(rejected).toEqual(["orders: instance orders-1 is given twice", "users: instance users-1: weight must be an integer between 0 and 10000, got 20000"]);
    expect(new Set(picks(table, "orders", 4))).toEqual(new Set(["orders-1", "orders-2"]));
    expect(table.get("users")).toBeUndefined();
  });
});
