import { describe, expect, test } from "vitest";
import { decodeCuratorInstance, encodeMeshdeckOverride, meshdeckOverridePath } from "./curator";

const registration = {
  name: "orders",
  id: "3f1e4a52-9c2b-4d0e-8f6a-1b2c3d4e5f60",
  address: "10.0.0.7",
  port: 8080,
  sslPort: null,
  payload: null,
  registrationTimeUTC: 1733000000000,
  serviceType: "DYNAMIC",
  uriSpec: {
    parts: [
      { value: "scheme", variable: true },
      { value: "://", variable: false },
      { value: "address", variable: true },
      { value: ":", variable: false },
      { value: "port", variable: true },
    ],
  },
};
const decode = (value: unknown, service = "orders", id = registration.id) => decodeCuratorInstance({ service, id, data: JSON.stringify(value) });

describe("decodeCuratorInstance", () => {
  test("decodes Curator's ServiceInstance JSON", () => {
    expect(decode(registration)).toEqual({
      instance: {
        instanceId: registration.id,
        service: "orders",
        host: "10.0.0.7",
        port: 8080,
        weight: 100,
        enabled: true,
        tags: [],
        metadata: { serviceType: "DYNAMIC", registrationTimeUTC: "1733000000000", uriSpec: "{scheme}://{address}:{port}" },
      },
    });
  });

  test.each([
    [
      "a Spring Cloud Zookeeper payload, nested fields dotted",
      { "@class": "ZookeeperInstance", id: "orders-1", metadata: { instance_status: "UP", zone: "a" } },
      { "@class": "ZookeeperInstance", id: "orders-1", "metadata.instance_status": "UP", "metadata.zone": "a" },
    ],
    ["numbers and booleans as text, arrays and nulls left out", { replicas: 3, primary: true, list: [1, 2], none: null }, { replicas: "3", primary: "true" }],
    ["a string payload", "blue", { payload: "blue" }],
  ])("%s", (_, payload, expected) => {
    const decoded = decode({ ...registration, payload });
    expect("instance" in decoded && decoded.instance.metadata).toMatchObject(expected);
  });

  test("an instance with only an SSL port is reached on it", () => {
    expect(decode({ ...registration, port: null, sslPort: 8443 })).toMatchObject({ instance: { port: 8443, metadata: { sslPort: "8443" } } });
  });

  test.each([
    ["data that is not JSON", "{not json", "not a JSON object"],
    ["a JSON array", "[]", "not a JSON object"],
    ["no address", JSON.stringify({ ...registration, address: undefined }), "is not a host name"],
    [
      "a metadata address",
      JSON.stringify({ ...registration, address: "::ffff:a9fe:a9fe" }),
      "address '::ffff:a9fe:a9fe' is refused by address policy: ::ffff:a9fe:a9fe is 169.254.169.254",
    ],
    ["no port at all", JSON.stringify({ ...registration, port: null }), "neither a port"],
    ["a port out of range", JSON.stringify({ ...registration, port: 70000 }), "neither a port"],
  ])("skips %s", (_, data, reason) => {
    expect(decodeCuratorInstance({ service: "orders", id: registration.id, data })).toEqual({ skipped: expect.stringContaining(reason) });
  });

  test.each([
    ["a service name Meshdeck cannot take", "orders service", registration.id],
    ["an id Meshdeck cannot take", "orders", "-leading-dash"],
  ])("skips %s", (_, service, id) => {
    expect(decode(registration, service, id)).toEqual({ skipped: expect.stringContaining("has characters Meshdeck does not take") });
  });
});

describe("Meshdeck override nodes", () => {
  test("live under the Meshdeck prefix by service and instance id", () => {
    expect(meshdeckOverridePath({ service: "orders", instanceId: "abc" })).toBe("/meshdeck/overrides/orders/abc");
  });

  test.each([
    [{ weight: 5, enabled: null }, '{"weight":5,"enabled":null}'],
    [{ weight: null, enabled: false }, '{"weight":null,"enabled":false}'],
    [{ weight: null, enabled: null }, null],
  ])("%j is written as %s", (override, text) => {
    expect(encodeMeshdeckOverride(override)).toBe(text);
  });

  test("a payload over the catalog's metadata limits is left out with a warning, the rest kept", () => {
    const payload = { huge: "x".repeat(600), [`k${"e".repeat(70)}`]: "v", ...Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`m${i}`, "v"])) };
    const decoded = decode({ ...registration, payload });
    if (!("instance" in decoded)) throw new Error("did not decode");
    expect(Object.keys(decoded.instance.metadata)).toHaveLength(64);
    expect(decoded.instance.metadata.huge).toBeUndefined();
    expect(decoded.warning).toMatch(/^\d+ metadata entries over the catalog's limits .* left out: huge, ke+/);
  });
});
