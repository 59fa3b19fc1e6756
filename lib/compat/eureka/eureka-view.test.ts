import { describe, expect, test } from "vitest";
import { appsHashcode, eurekaStatus, groupApps, toEurekaInstance, type TInstanceRow } from "./eureka-view";
import { instanceRow } from "./instance-row.fixture";

const at = new Date("2026-01-01T00:00:00Z");
const row = instanceRow;

describe("eurekaStatus", () => {
  test.each<[string, Partial<TInstanceRow>, string]>([
    ["passing", {}, "UP"],
    ["warning still takes traffic", { health: "warning" }, "UP"],
    ["drained by an operator", { enabledOverride: false }, "OUT_OF_SERVICE"],
    ["a drain wins over critical", { enabledOverride: false, health: "critical" }, "OUT_OF_SERVICE"],
    ["critical (a lease expired, a check failed)", { health: "critical" }, "DOWN"],
    ["weight 0 by an operator", { weightOverride: 0 }, "OUT_OF_SERVICE"],
    ["weight 0 registered", { weight: 0 }, "OUT_OF_SERVICE"],
    ["the client's own STARTING", { weight: 0, metadata: { "eureka.status": "STARTING" } }, "STARTING"],
    ["the client's own DOWN", { weight: 0, metadata: { "eureka.status": "DOWN" } }, "DOWN"],
    ["not yet checked", { health: "unknown" }, "STARTING"],
    ["a status no Eureka client sent", { metadata: { "eureka.status": "SLEEPING" } }, "UP"],
  ])("%s", (_, change, status) => {
    expect(eurekaStatus(row(change))).toBe(status);
  });
});

describe("toEurekaInstance", () => {
  test("a Meshdeck instance as Eureka's InstanceInfo", () => {
    expect(toEurekaInstance("orders", row({ metadata: { version: "2" } }))).toMatchObject({
      instanceId: "orders-1",
      hostName: "10.0.0.7",
      app: "ORDERS",
      ipAddr: "10.0.0.7",
      status: "UP",
      overriddenStatus: "UNKNOWN",
      port: { $: 8080, "@enabled": "true" },
      securePort: { $: 443, "@enabled": "false" },
      leaseInfo: { durationInSecs: 90, registrationTimestamp: at.getTime() },
      metadata: { version: "2" },
      vipAddress: "orders",
      secureVipAddress: "orders",
    });
  });

  test("gives back what a Eureka client registered, without Meshdeck's keys", () => {
    const instance = toEurekaInstance(
      "orders",
      row({
        enabledOverride: false,
        metadata: {
          "management.port": "8081",
          "eureka.hostName": "host-1",
          "eureka.vipAddress": "orders-vip",
          "eureka.healthCheckUrl": "http://host-1:8080/health",
        },
      }),
    );
    expect(instance).toMatchObject({
      hostName: "host-1",
      vipAddress: "orders-vip",
      healthCheckUrl: "http://host-1:8080/health",
      overriddenStatus: "OUT_OF_SERVICE",
    });
    expect(instance.metadata).toEqual({ "management.port": "8081" });
  });

  test("an empty metadata map as Eureka writes it", () => {
    expect(toEurekaInstance("orders", row()).metadata).toEqual({ "@class": "java.util.Collections$EmptyMap" });
  });
});

describe("appsHashcode and groupApps", () => {
  test("counts statuses in name order, as Eureka's reconcile hash", () => {
    expect(appsHashcode([{ status: "UP" }, { status: "DOWN" }, { status: "UP" }, { status: "OUT_OF_SERVICE" }])).toBe("DOWN_1_OUT_OF_SERVICE_1_UP_2_");
    expect(appsHashcode([])).toBe("");
  });

  test("groups instances by app, apps in name order", () => {
    const apps = groupApps([
      toEurekaInstance("payments", row()),
      toEurekaInstance("orders", row({ instanceId: "orders-2" })),
      toEurekaInstance("payments", row({ instanceId: "p-2" })),
    ]);
    expect(apps.map(({ name, instance }) => [name, instance.length])).toEqual([
      ["ORDERS", 1],
      ["PAYMENTS", 2],
    ]);
  });
});
