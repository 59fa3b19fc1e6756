import { describe, expect, test } from "vitest";
import { agentService, catalogEntry, consulStatus, healthEntry, instanceChecks, isPassing, type TConsulInstance } from "./shape";

const node = { name: "meshdeck", address: "127.0.0.1", datacenter: "dc1" };
const instance: TConsulInstance = {
  service: "orders",
  instanceId: "orders-1",
  host: "10.0.0.7",
  port: 8080,
  weight: 100,
  enabled: true,
  tags: ["go"],
  metadata: { zone: "a" },
  health: "passing",
  healthOutput: "HTTP 200",
  checkKind: "http",
  checkIntervalMs: 10_000,
  checkTimeoutMs: 500,
  checkTtlMs: 3000,
  modifyIndex: 42,
};

describe("Meshdeck instances in Consul's shapes", () => {
  test.each([
    ["passing", "passing"],
    ["warning", "warning"],
    ["critical", "critical"],
    ["unknown", "critical"],
  ])("health %s reads %s", (health, status) => expect(consulStatus(health)).toBe(status));

  test("the agent service: Weights.Passing is the weight", () => {
    expect(agentService(instance, node)).toEqual({
      ID: "orders-1",
      Service: "orders",
      Tags: ["go"],
      Meta: { zone: "a" },
      Port: 8080,
      Address: "10.0.0.7",
      Weights: { Passing: 100, Warning: 1 },
      EnableTagOverride: false,
      Datacenter: "dc1",
    });
  });

  test("one check named service:<id>, with its kind, interval and output", () => {
    expect(instanceChecks(instance, node)).toEqual([
      expect.objectContaining({
        CheckID: "service:orders-1",
        Status: "passing",
        Output: "HTTP 200",
        Type: "http",
        Interval: "10s",
        Timeout: "500ms",
        ModifyIndex: 42,
      }),
    ]);
    expect(instanceChecks({ ...instance, checkKind: "ttl" }, node)[0]).toMatchObject({ Type: "ttl", Interval: "", Timeout: "3s" });
  });

  test("a drained instance carries the critical maintenance check and leaves ?passing; so does weight 0", () => {
    const drained = { ...instance, enabled: false };
    expect(instanceChecks(drained, node).map((check) => [check.CheckID, check.Status])).toEqual([
      ["service:orders-1", "passing"],
      ["_service_maintenance:orders-1", "critical"],
    ]);
    expect([isPassing(instance), isPassing(drained), isPassing({ ...instance, weight: 0 }), isPassing({ ...instance, health: "warning" })]).toEqual([
      true,
      false,
      false,
      false,
    ]);
  });

  test("health and catalog entries carry the node beside the service", () => {
    expect(healthEntry(instance, node)).toMatchObject({
      Node: { Node: "meshdeck", Address: "127.0.0.1", Datacenter: "dc1" },
      Service: { ID: "orders-1", ModifyIndex: 42 },
    });
    expect(catalogEntry(instance, node)).toMatchObject({
      Node: "meshdeck",
      Address: "127.0.0.1",
      ServiceID: "orders-1",
      ServiceAddress: "10.0.0.7",
      ServicePort: 8080,
      ServiceMeta: { zone: "a" },
    });
  });
});
