import { describe, expect, test } from "vitest";
import { AppError } from "@/lib/errors";
import { toRegistration } from "./registration";
import { parseXml } from "./xml";

// What Spring Cloud's client sends (trimmed to what matters), and eureka-js-client's usual configuration.
const spring = {
  instance: {
    instanceId: "host-1:orders:8080",
    hostName: "host-1",
    app: "ORDERS",
    ipAddr: "10.0.0.7",
    status: "UP",
    overriddenStatus: "UNKNOWN",
    port: { $: 8080, "@enabled": "true" },
    securePort: { $: 443, "@enabled": "false" },
    countryId: 1,
    dataCenterInfo: { "@class": "com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo", name: "MyOwn" },
    leaseInfo: { renewalIntervalInSecs: 30, durationInSecs: 90 },
    metadata: { "management.port": "8080" },
    homePageUrl: "http://host-1:8080/",
    statusPageUrl: "http://host-1:8080/actuator/info",
    healthCheckUrl: "http://host-1:8080/actuator/health",
    vipAddress: "orders",
    secureVipAddress: "orders",
    isCoordinatingDiscoveryServer: "false",
    lastUpdatedTimestamp: "1700000000000",
    lastDirtyTimestamp: "1700000000000",
  },
};

function error(run: () => unknown): AppError | Error {
  try {
    run();
  } catch (caught) {
    return caught as Error;
  }
  throw new Error("expected a refusal");
}

describe("toRegistration", () => {
  test("maps a Spring Cloud registration to a TTL instance of the lower-case service", () => {
    const input = toRegistration("orders", spring);
    expect(input).toMatchObject({ service: "orders", id: "host-1:orders:8080", host: "10.0.0.7", port: 8080, weight: 100, metrics: null });
    expect(input.check).toEqual({ kind: "ttl", ttl: 90_000, deregisterAfter: 60_000 });
    expect(input.metadata).toEqual({
      "management.port": "8080",
      "eureka.hostName": "host-1",
      "eureka.vipAddress": "orders",
      "eureka.secureVipAddress": "orders",
      "eureka.homePageUrl": "http://host-1:8080/",
      "eureka.statusPageUrl": "http://host-1:8080/actuator/info",
      "eureka.healthCheckUrl": "http://host-1:8080/actuator/health",
      "eureka.renewalIntervalInSecs": "30",
    });
  });

  test("reads the same registration sent as XML", () => {
    const xml = `<instance><instanceId>host-1:orders:8080</instanceId><hostName>host-1</hostName><app>ORDERS</app><ipAddr>10.0.0.7</ipAddr>
      <status>UP</status><port enabled="true">8080</port><securePort enabled="false">443</securePort>
      <leaseInfo><renewalIntervalInSecs>30</renewalIntervalInSecs><durationInSecs>90</durationInSecs></leaseInfo>
      <metadata><management.port>8080</management.port></metadata><homePageUrl>http://host-1:8080/</homePageUrl>
      <statusPageUrl>http://host-1:8080/actuator/info</statusPageUrl><healthCheckUrl>http://host-1:8080/actuator/health</healthCheckUrl>
      <vipAddress>orders</vipAddress><secureVipAddress>orders</secureVipAddress></instance>`;
    expect(toRegistration("ORDERS", parseXml(xml))).toEqual(toRegistration("orders", spring));
  });

  test.each([
    ["a plain port and no instanceId (the id is the host name)", { port: 9000, instanceId: undefined }, { id: "host-1", port: 9000 }],
    ["only the secure port enabled", { port: { $: 80, "@enabled": "false" }, securePort: { $: 8443, "@enabled": "true" } }, { port: 8443 }],
    ["STARTING: out of traffic until UP", { status: "STARTING" }, { weight: 0, metadata: expect.objectContaining({ "eureka.status": "STARTING" }) }],
    ["no ipAddr: the host name is the host", { ipAddr: "" }, { host: "host-1" }],
    ["a lease of 10 s", { leaseInfo: { durationInSecs: "10" } }, { check: { kind: "ttl", ttl: 10_000, deregisterAfter: 60_000 } }],
    [
      "an empty metadata map",
      { metadata: { "@class": "java.util.Collections$EmptyMap" } },
      { metadata: expect.not.objectContaining({ "@class": expect.anything() }) },
    ],
  ])("%s", (_, change, expected) => {
    expect(toRegistration("orders", { instance: { ...spring.instance, ...change } })).toMatchObject(expected);
  });

  test.each([
    ["another app than the path's", { app: "PAYMENTS" }, "mismatched app name"],
    ["no host name", { hostName: undefined }, "hostName"],
    ["a link-local address", { ipAddr: "169.254.169.254" }, "address policy"],
    ["a cloud metadata host name", { hostName: "169.254.169.254" }, "address policy"],
    ["a control character in metadata", { metadata: { note: "a\u0007b" } }, "control"],
    ["a key Meshdeck keeps for itself", { metadata: { "eureka.status": "UP" } }, "Meshdeck's own"],
    ["an unknown status", { status: "SLEEPING" }, "must be one of"],
    ["no enabled port", { port: { $: 80, "@enabled": "false" } }, "enabled port"],
    ["an instance id with a slash", { instanceId: "a/b" }, "may hold only"],
    ["a lease of 0 s", { leaseInfo: { durationInSecs: 0 } }, "at least 1"],
  ])("refuses %s", (_, change, message) => {
    const refusal = error(() => toRegistration("orders", { instance: { ...spring.instance, ...change } }));
    expect(JSON.stringify(refusal instanceof AppError ? refusal.message : (refusal as unknown as { issues: unknown }).issues)).toContain(message);
  });

  test("refuses a body that is not a registration", () => {
    expect(() => toRegistration("orders", [spring])).toThrow();
    expect(() => toRegistration("orders", { application: spring.instance })).toThrow();
  });
});
