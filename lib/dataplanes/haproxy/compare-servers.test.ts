import { describe, expect, test } from "vitest";
import { desiredServer } from "./desired-server.fixture";
import { compareServers } from "./compare-servers";
import type { TServerStat } from "./parse";
import type { TDesiredServer } from "./plan";

const desired = desiredServer;
const stat = (server: string, overrides: Partial<TServerStat> = {}): TServerStat => ({
  backend: "orders",
  server,
  status: "no check",
  weight: 256,
  sessions: 0,
  checkStatus: "",
  ...overrides,
});

describe("HAProxy's view beside Meshdeck's", () => {
  test.each<[string, Partial<TDesiredServer>, Partial<TServerStat>, string[]]>([
    ["in step", {}, {}, []],
    ["drained in both", { state: "drain" }, { status: "DRAIN" }, []],
    ["down in both", { health: "down" }, { status: "DOWN" }, []],
    ["drained and down: HAProxy shows DOWN", { state: "drain", health: "down" }, { status: "DOWN" }, []],
    ["weight set by hand", {}, { weight: 3 }, ["weight 3 in HAProxy, 256 in Meshdeck"]],
    ["drained in Meshdeck only", { state: "drain" }, {}, ["no check in HAProxy, DRAIN in Meshdeck"]],
    ["in maintenance by hand", {}, { status: "MAINT" }, ["MAINT in HAProxy, up in Meshdeck"]],
    ["down in HAProxy only", {}, { status: "DOWN" }, ["DOWN in HAProxy, up in Meshdeck"]],
  ])("%s", (_, mine, theirs, differences) => {
    expect(compareServers({ desired: [desired("a", mine)], stats: [stat("a", theirs)], mode: "meshdeck" })[0]!.differences).toEqual(differences);
  });

  test("haproxy mode: a server its checks find down is HAProxy's call, not a difference", () => {
    expect(compareServers({ desired: [desired("a")], stats: [stat("a", { status: "DOWN", checkStatus: "L4CON" })], mode: "haproxy" })[0]!.differences).toEqual(
      [],
    );
  });

  test("servers missing on either side, differing rows first", () => {
    const rows = compareServers({ desired: [desired("a"), desired("b")], stats: [stat("b"), stat("x")], mode: "meshdeck" });
    expect(rows.map((row) => [row.server, row.differences])).toEqual([
      ["a", ["not in HAProxy"]],
      ["x", ["not in the catalog"]],
      ["b", []],
    ]);
  });
});
