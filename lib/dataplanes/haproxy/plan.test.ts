import { describe, expect, test } from "vitest";
import { desiredServer } from "./desired-server.fixture";
import type { TServerState } from "./parse";
import { commandSucceeded, desiredServers, haproxyWeight, planBackend, serverName, type TCatalogInstance, type TDesiredServer } from "./plan";

const instance = (id: string, overrides: Partial<TCatalogInstance> = {}): TCatalogInstance => ({
  source: "builtin",
  instanceId: id,
  host: "127.0.0.1",
  port: 9000,
  weight: 100,
  enabled: true,
  health: "passing",
  ...overrides,
});

const desired = desiredServer;

// As HAProxy shows a server Meshdeck put there in meshdeck mode: running, ready, no checks.
const actual = (name: string, overrides: Partial<TServerState> = {}): TServerState => ({
  backend: "orders",
  name,
  address: "127.0.0.1",
  port: 9000,
  opState: 2,
  adminState: 0,
  weight: 256,
  checkState: 0,
  ...overrides,
});

describe("weights", () => {
  test.each<[number, number, number]>([
    [100, 100, 256],
    [50, 100, 128],
    [1, 10_000, 1],
    [0, 100, 0],
    [100, 400, 64],
    [300, 400, 192],
    [10_000, 10_000, 256],
  ])("%i of a service whose highest is %i is %i in HAProxy", (weight, highest, expected) => {
    expect(haproxyWeight(weight, highest)).toBe(expected);
  });

  test("proportions hold to within one 256th of the highest, and no weight above 0 is 0", () => {
    for (let highest = 1; highest <= 10_000; highest += 97) {
      for (const weight of [1, Math.max(1, Math.floor(highest / 3)), highest]) {
        const scaled = haproxyWeight(weight, highest);
        expect(scaled).toBeGreaterThanOrEqual(1);
        expect(Math.abs(scaled - (weight * 256) / highest)).toBeLessThanOrEqual(1);
      }
    }
  });
});

describe("servers from instances", () => {
  test("drained is drain, critical and unknown are down, weights scaled to the service's highest", () => {
    const { servers, skipped } = desiredServers([
      instance("a", { weight: 100 }),
      instance("b", { weight: 400, enabled: false }),
      instance("c", { weight: 200, health: "critical" }),
      instance("d", { health: "unknown" }),
      instance("e", { host: "orders.internal" }),
    ]);
    expect(servers.map(({ name, weight, state, health }) => [name, weight, state, health])).toEqual([
      ["a", 64, "ready", "up"],
      ["b", 256, "drain", "up"],
      ["c", 128, "ready", "down"],
      ["d", 64, "ready", "down"],
    ]);
    expect(skipped).toEqual(["e"]);
  });

  test("names: an id HAProxy takes is kept; others (and other sources') get a readable part and a hash", () => {
    expect(serverName({ source: "builtin", instanceId: "orders-1" })).toBe("orders-1");
    expect(serverName({ source: "etcd-a", instanceId: "orders-1" })).toMatch(/^orders-1-[0-9a-f]{12}$/);
    expect(serverName({ source: "etcd-a", instanceId: "orders-1" })).not.toBe(serverName({ source: "etcd-b", instanceId: "orders-1" }));
    expect(serverName({ source: "zk", instanceId: "dubbo://10.0.0.1:20880/x y" })).toMatch(/^dubbo:__10\.0\.0\.1:20880_x_y-[0-9a-f]{12}$/);
  });
});

describe("the plan for a backend", () => {
  const plan = (current: TServerState[], wanted: TDesiredServer[], mode: "meshdeck" | "haproxy" = "meshdeck") =>
    planBackend({ backend: "orders", actual: current, desired: wanted, mode }).map((step) => step.command);

  test("nothing when HAProxy matches", () => {
    expect(plan([actual("a")], [desired("a")])).toEqual([]);
  });

  test("a new instance: added, made ready and its health set (dynamic servers start in maintenance)", () => {
    expect(plan([], [desired("a", { weight: 64 })])).toEqual([
      "add server orders/a 127.0.0.1:9000 weight 64 pool-max-conn -1 pool-purge-delay 5s",
      "set server orders/a state ready",
      "set server orders/a health up",
    ]);
  });

  test("haproxy mode: added with checks, and the checks enabled", () => {
    expect(plan([], [desired("a")], "haproxy")).toEqual([
      "add server orders/a 127.0.0.1:9000 weight 256 pool-max-conn -1 pool-purge-delay 5s check",
      "enable health orders/a",
      "set server orders/a state ready",
    ]);
  });

  test("an instance gone (or a server someone added): maintenance, then deleted", () => {
    expect(plan([actual("a"), actual("x")], [desired("a")])).toEqual(["set server orders/x state maint", "del server orders/x"]);
  });

  test("drained, reweighted, moved, gone critical", () => {
    expect(
      plan(
        [actual("a"), actual("b"), actual("c")],
        [desired("a", { state: "drain" }), desired("b", { weight: 10, port: 9001 }), desired("c", { health: "down" })],
      ),
    ).toEqual([
      "set server orders/a state drain",
      "set server orders/a health up",
      "set server orders/b addr 127.0.0.1 port 9001",
      "set server orders/b weight 10",
      "set server orders/c health down",
    ]);
  });

  test("meshdeck mode: HAProxy's checks, enabled by hand, are disabled; a server put in maintenance by hand is made ready", () => {
    expect(plan([actual("a", { checkState: 6 }), actual("b", { adminState: 1, opState: 0 })], [desired("a"), desired("b")])).toEqual([
      "disable health orders/a",
      "set server orders/b state ready",
      "set server orders/b health up",
    ]);
  });

  test("haproxy mode: a server without checks is added again with them; health is left to HAProxy", () => {
    expect(plan([actual("a", { checkState: 0 }), actual("b", { checkState: 6, opState: 0 })], [desired("a"), desired("b")], "haproxy")).toEqual([
      "set server orders/a state maint",
      "del server orders/a",
      "add server orders/a 127.0.0.1:9000 weight 256 pool-max-conn -1 pool-purge-delay 5s check",
      "enable health orders/a",
      "set server orders/a state ready",
    ]);
  });
});

describe("answers", () => {
  test.each<[string, string, boolean]>([
    ["add server orders/a 127.0.0.1:1", "New server registered.\n", true],
    ["add server orders/a 127.0.0.1:1", "Already exists a server with the same name in backend.\n", false],
    ["del server orders/a", "Server deleted.\n", true],
    ["del server orders/a", "Only servers in maintenance mode can be deleted.\n", false],
    ["set server orders/a weight 3", "", true],
    ["set server orders/a weight 300", "Absolute weight can only be between 0 and 256 inclusive.\n", false],
    ["set server orders/nope state ready", "No such server.\n", false],
    ["set server orders/a addr 127.0.0.2 port 2", "IP changed from '127.0.0.1' to '127.0.0.2', port changed from '1' to '2' by 'stats socket command'\n", true],
  ])("%s answered %j: done %s", (command, answer, done) => {
    expect(commandSucceeded(command, answer)).toBe(done);
  });
});
