import { describe, expect, test } from "vitest";
import { renderDouble } from "@/tests/support/consul-double";
import { decodeServiceEntry, healthOf, meshdeckDrainReason, registeredWeightMeta, type TConsulServiceEntry } from "./decode-health";
import { checkPrints } from "./what-moved";
import { nextIndex, TokenBucket } from "./blocking-loop";
import { reweighted } from "./write-override";

const entry = (
  overrides: { checks?: TConsulServiceEntry["Checks"]; service?: Partial<NonNullable<TConsulServiceEntry["Service"]>> } = {},
): TConsulServiceEntry => ({
  Node: { Node: "node-1", Address: "10.0.0.7" },
  Service: {
    ID: "web-1",
    Service: "web",
    Tags: ["v2"],
    Address: "",
    Port: 8080,
    Meta: { version: "2" },
    Weights: { Passing: 10, Warning: 1 },
    ...overrides.service,
  },
  Checks: overrides.checks ?? [{ CheckID: "serfHealth", Name: "Serf Health Status", Status: "passing", Output: "Agent alive and reachable" }],
});

describe("decodeServiceEntry", () => {
  test("HashiCorp's own /v1/health/service answer (consul-api-double) decodes into instances", () => {
    const entries = renderDouble("v1/health/service/_", "/v1/health/service/web", {
      env: { CONSUL_NODE_COUNT: 3, CONSUL_CHECK_COUNT: 3 },
    }) as TConsulServiceEntry[];
    const decoded = entries.map(decodeServiceEntry);
    expect(decoded).toHaveLength(3);
    for (const [index, result] of decoded.entries()) {
      if (!("instance" in result)) throw new Error(result.skipped);
      const raw = entries[index]!;
      expect(result.instance).toMatchObject({
        instanceId: `node-${index}:${raw.Service!.ID}`,
        service: "web",
        host: raw.Service!.Address,
        port: raw.Service!.Port,
        weight: 1,
        enabled: true,
        key: raw.Service!.ID,
        // The double makes its first two checks critical.
        health: { status: "critical" },
      });
      expect(result.instance.metadata["consul.node"]).toBe(`node-${index}`);
    }
  });

  test("the node's address stands in for an empty service address; Weights.Passing is the weight", () => {
    const decoded = decodeServiceEntry(entry());
    expect(decoded).toEqual({
      instance: {
        instanceId: "node-1:web-1",
        service: "web",
        host: "10.0.0.7",
        port: 8080,
        weight: 10,
        enabled: true,
        tags: ["v2"],
        metadata: { version: "2", "consul.node": "node-1", "consul.node-address": "10.0.0.7", "consul.service-id": "web-1" },
        key: "web-1",
        health: { status: "passing", output: "Serf Health Status: passing (Agent alive and reachable)" },
      },
    });
  });

  test.each([
    ["node maintenance disables", [{ CheckID: "_node_maintenance", Status: "critical", Notes: "kernel upgrade" }], false, "passing"],
    ["someone's service maintenance disables", [{ CheckID: "_service_maintenance:web-1", Status: "critical", Notes: "by hand" }], false, "passing"],
    [
      "Meshdeck's own drain is its override, not the registration",
      [{ CheckID: "_service_maintenance:web-1", Status: "critical", Notes: meshdeckDrainReason }],
      true,
      "passing",
    ],
    [
      "a warning check warns",
      [
        { CheckID: "a", Status: "passing" },
        { CheckID: "b", Status: "warning" },
      ],
      true,
      "warning",
    ],
    [
      "critical beats warning",
      [
        { CheckID: "a", Status: "warning" },
        { CheckID: "b", Status: "critical" },
      ],
      true,
      "critical",
    ],
    ["no checks pass, as in Consul", [], true, "passing"],
    ["an unknown status is not a pass", [{ CheckID: "a", Status: "weird" }], true, "critical"],
  ])("%s", (_, checks, enabled, status) => {
    const decoded = decodeServiceEntry(entry({ checks }));
    if (!("instance" in decoded)) throw new Error(decoded.skipped);
    expect([decoded.instance.enabled, decoded.instance.health?.status]).toEqual([enabled, status]);
  });

  test("the weight a write-through displaced is the registered one, and its Meta key is not shown", () => {
    const decoded = decodeServiceEntry(entry({ service: { Weights: { Passing: 300, Warning: 1 }, Meta: { [registeredWeightMeta]: "10" } } }));
    if (!("instance" in decoded)) throw new Error(decoded.skipped);
    expect(decoded.instance.weight).toBe(10);
    expect(decoded.instance.metadata).not.toHaveProperty(registeredWeightMeta);
  });

  test.each([
    ["port 0", { Port: 0 }, /port 0/],
    ["a link-local address", { Address: "169.254.169.254" }, /host '169.254.169.254'/],
    ["a service name Meshdeck does not take", { Service: "web service" }, /characters/],
  ])("skips %s with the reason", (_, service, reason) => {
    const decoded = decodeServiceEntry(entry({ service }));
    expect("skipped" in decoded && decoded.skipped).toMatch(reason);
  });

  test("healthOf names the worst check", () => {
    expect(healthOf([{ Name: "HTTP /health", Status: "critical", Output: "connection refused" }])).toEqual({
      status: "critical",
      output: "HTTP /health: critical (connection refused)",
    });
  });
});

describe("watching", () => {
  test("checkPrints groups service checks by service and node checks by node", () => {
    const prints = checkPrints([
      { CheckID: "serfHealth", Status: "passing", ServiceName: "", Node: "n1" },
      { CheckID: "service:web-1", Status: "critical", ServiceName: "web", ServiceID: "web-1" },
    ]);
    expect([...prints.keys()].sort()).toEqual(["n:n1", "s:web"]);
  });

  test.each([
    [0, 5, { index: 5, reset: false }],
    [5, 9, { index: 9, reset: false }],
    [9, 3, { index: 0, reset: true }],
    [0, 0, { index: 1, reset: false }],
  ])("held %i, answered %i: block on %o", (held, answered, next) => {
    expect(nextIndex(held, answered)).toEqual(next);
  });

  test("the token bucket lets two answers through at once, then one a second", () => {
    let now = 0;
    const bucket = new TokenBucket(2, 1000, () => now);
    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([0, 0, 1000]);
    now = 5000;
    expect(bucket.take()).toBe(0);
  });
});

describe("reweighted", () => {
  const service = { ID: "web-1", Service: "web", Port: 8080, Meta: { a: "b" }, Weights: { Passing: 10, Warning: 2 }, ContentHash: "abc", Datacenter: "dc1" };

  test("keeps the registered weight aside and sends the full definition under Name", () => {
    expect(reweighted(service, 250)).toEqual({
      ID: "web-1",
      Name: "web",
      Port: 8080,
      Meta: { a: "b", [registeredWeightMeta]: "10" },
      Weights: { Passing: 250, Warning: 2 },
    });
  });

  test("a reset puts the registered weight back; nothing to do when there was no override", () => {
    const overridden = { ...service, Meta: { a: "b", [registeredWeightMeta]: "10" }, Weights: { Passing: 250, Warning: 2 } };
    expect(reweighted(overridden, null)).toMatchObject({ Meta: { a: "b" }, Weights: { Passing: 10, Warning: 2 } });
    expect(reweighted(service, null)).toBeNull();
    expect(reweighted(overridden, 250)).toBeNull();
  });
});
