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
      { service: "my-service", instanceId: "10.1.2.3:9000", port: 9000 },
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
      { service: "echo", instanceId: "10.0.0.9:50051", port: 50051, metadata: { zone: "a" } },
    ],
    [
      "grpc naming, nested service path",
      "grpc",
      "/",
      "/foo/bar/e1",
      JSON.stringify({ Addr: "10.0.0.9:50052" }),
      { service: "foo.bar", instanceId: "e1", port: 50052 },
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
    ["grpc key without a service", "grpc", "/services/e1", JSON.stringify({ Addr: "10.0.0.9:1" })],
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
});
