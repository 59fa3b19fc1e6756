import { describe, expect, test } from "vitest";
import { decodeEtcdEntry } from "./conventions";

const goMicroValue = JSON.stringify({
  name: "greeter",
  version: "1.2.0",
  metadata: { team: "core" },
  endpoints: [],
  nodes: [{ id: "greeter-6f1c", address: "10.0.0.7:8080", metadata: { protocol: "grpc", registry: "etcd" } }],
});
const kratosValue = (metadata: Record<string, string>) =>
  JSON.stringify({
    id: "orders-7d9",
    name: "orders",
    version: "v2",
    metadata,
    endpoints: ["grpc://10.0.0.8:9000?isSecure=false", "http://10.0.0.8:8000?isSecure=false"],
  });

describe("decodeEtcdEntry", () => {
  test.each([
    [
      "url, <prefix><service>/<id>",
      "url",
      "/services/",
      "/services/orders/orders-1",
      "http://127.0.0.1:8081",
      { service: "orders", instanceId: "orders-1", host: "127.0.0.1", port: 8081, weight: 100 },
    ],
    [
      "url, the seed's single /<service> key",
      "url",
      "/",
      "/my-service",
      "http://10.1.2.3:9000/",
      { service: "my-service", instanceId: "my-service:10.1.2.3:9000", port: 9000 },
    ],
    ["url, host:port without a scheme", "url", "/services/", "/services/users/u1", "10.0.0.2:7000", { service: "users", instanceId: "u1", port: 7000 }],
    [
      "go-micro",
      "go-micro",
      "/micro/registry/",
      "/micro/registry/greeter/greeter-6f1c",
      goMicroValue,
      { service: "greeter", instanceId: "greeter-6f1c", host: "10.0.0.7", metadata: { team: "core", protocol: "grpc", registry: "etcd", version: "1.2.0" } },
    ],
    [
      "grpc naming",
      "grpc",
      "/services/",
      "/services/echo/10.0.0.9:50051",
      JSON.stringify({ Op: 0, Addr: "10.0.0.9:50051", Metadata: { zone: "a" } }),
      { service: "echo", instanceId: "echo:10.0.0.9:50051", port: 50051, metadata: { zone: "a" } },
    ],
    [
      "grpc naming, nested service path",
      "grpc",
      "/",
      "/foo/bar/e1",
      JSON.stringify({ Addr: "10.0.0.9:50052" }),
      { service: "foo.bar", instanceId: "foo.bar:e1", port: 50052 },
    ],
    [
      "grpc naming, etcd's own example: a target with no parent path, read with the target as the prefix",
      "grpc",
      "my-service/",
      "my-service/1.2.3.4",
      JSON.stringify({ Addr: "1.2.3.4:50051" }),
      { service: "my-service", instanceId: "my-service:1.2.3.4", host: "1.2.3.4", port: 50051 },
    ],
    [
      "grpc naming, a target with no parent path, read by the pattern */*",
      "grpc",
      "",
      "my-service/1.2.3.4",
      JSON.stringify({ Addr: "1.2.3.4:50051" }),
      { service: "my-service", instanceId: "my-service:1.2.3.4" },
    ],
    [
      "kratos: http endpoint first, metadata weight",
      "kratos",
      "/microservices/",
      "/microservices/orders/orders-7d9",
      kratosValue({ weight: "30", region: "eu" }),
      { service: "orders", instanceId: "orders-7d9", port: 8000, weight: 30 },
    ],
    [
      "kratos: Meshdeck's write-through keeps the registered weight",
      "kratos",
      "/microservices/",
      "/microservices/orders/orders-7d9",
      kratosValue({ weight: "5", "meshdeck.registered-weight": "30" }),
      { weight: 30, metadata: { weight: "5", version: "v2" } },
    ],
  ] as const)("%s", (_, convention, prefix, key, value, expected) => {
    const decoded = decodeEtcdEntry(convention, { key, value, prefix });
    if (!("instance" in decoded)) throw new Error(`skipped: ${decoded.skipped}`);
    expect(decoded.instance).toMatchObject({ ...expected, key });
  });

  test.each([
    ["url value that is not an address", "url", "/services/orders/o1", "not a url"],
    ["url with a port out of range", "url", "/services/orders/o1", "http://h:70000"],
    ["go-micro without nodes", "go-micro", "/micro/registry/greeter/x", JSON.stringify({ name: "greeter", nodes: [] })],
    ["go-micro that is not JSON", "go-micro", "/micro/registry/greeter/x", "{"],
    ["grpc without Addr", "grpc", "/services/echo/e1", JSON.stringify({ Metadata: {} })],
    ["grpc delete update", "grpc", "/services/echo/e1", JSON.stringify({ Op: 1, Addr: "10.0.0.9:1" })],
    ["grpc key that is the prefix itself", "grpc", "/services/", JSON.stringify({ Addr: "10.0.0.9:1" })],
    ["kratos without endpoints", "kratos", "/microservices/orders/o", JSON.stringify({ id: "o", name: "orders" })],
    ["a service name with spaces", "url", "/services/my service/o1", "http://h:1"],
  ] as const)("skips %s", (_, convention, key, value) => {
    const prefix = key.startsWith("/micro/") ? "/micro/registry/" : key.startsWith("/microservices/") ? "/microservices/" : "/services/";
    expect(decodeEtcdEntry(convention, { key, value, prefix })).toHaveProperty("skipped");
  });

  // An instance a source lists at a metadata address is left out, with the address policy's reason, in every convention.
  test.each([
    ["url", "/services/orders/o1", "http://169.254.169.254:80", "/services/"],
    ["url", "/services/orders/o1", "http://2852039166:80", "/services/"],
    ["go-micro", "/micro/registry/greeter/x", JSON.stringify({ name: "greeter", nodes: [{ id: "x", address: "[fd00:ec2::254]:80" }] }), "/micro/registry/"],
    ["grpc", "/services/echo/e1", JSON.stringify({ Addr: "[::ffff:a9fe:a9fe]:80" }), "/services/"],
    ["kratos", "/microservices/orders/o", JSON.stringify({ id: "o", name: "orders", endpoints: ["http://0xa9fea9fe:80"] }), "/microservices/"],
  ] as const)("%s: skips %s at a metadata address", (convention, key, value, prefix) => {
    expect(decodeEtcdEntry(convention, { key, value, prefix })).toEqual({ skipped: expect.stringMatching(/^host '.+' is refused by address policy: /) });
  });

  test("gRPC endpoints of two targets at one address are two instances", () => {
    const value = JSON.stringify({ Addr: "127.0.0.1:50051" });
    const ids = ["ns/greeter/127.0.0.1:50051", "ns/echo/127.0.0.1:50051"].map((key) => {
      const decoded = decodeEtcdEntry("grpc", { key, value, prefix: "" });
      return "instance" in decoded ? decoded.instance.instanceId : decoded.skipped;
    });
    expect(ids).toEqual(["ns.greeter:127.0.0.1:50051", "ns.echo:127.0.0.1:50051"]);
  });

  // A 1 MB value and 102 keys were once stored as they came, and every discovery answer grew with them.
  test.each([
    [
      "go-micro",
      "/micro/registry/",
      "/micro/registry/greeter/x",
      (metadata: Record<string, string>) => JSON.stringify({ name: "greeter", nodes: [{ id: "x", address: "10.0.0.7:80", metadata }] }),
    ],
    ["grpc", "/services/", "/services/echo/e1", (metadata: Record<string, string>) => JSON.stringify({ Addr: "10.0.0.9:1", Metadata: metadata })],
    [
      "kratos",
      "/microservices/",
      "/microservices/orders/o",
      (metadata: Record<string, string>) => JSON.stringify({ id: "o", name: "orders", metadata, endpoints: ["http://10.0.0.8:80"] }),
    ],
  ] as const)("%s: metadata over the catalog's limits is left out with a warning", (convention, prefix, key, value) => {
    const metadata = { big: "x".repeat(1024 * 1024), ...Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, "v"])) };
    const decoded = decodeEtcdEntry(convention, { key, value: value(metadata), prefix });
    if (!("instance" in decoded)) throw new Error(`skipped: ${decoded.skipped}`);
    expect(Object.keys(decoded.instance.metadata).length).toBeLessThanOrEqual(64);
    expect(decoded.instance.metadata.big).toBeUndefined();
    expect(Math.max(...Object.values(decoded.instance.metadata).map((text) => text.length))).toBeLessThanOrEqual(512);
    expect(decoded.warning).toMatch(/^\d+ metadata entries over the catalog's limits .* left out: big, /);
  });
});
