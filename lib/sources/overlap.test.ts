import { describe, expect, test } from "vitest";
import { sourcesOverlap } from "./overlap";

const etcd = (prefix: string, endpoints = ["127.0.0.1:2379"]) => ({ kind: "etcd" as const, endpoints, prefix });
const zk = (prefix: string) => ({ kind: "zookeeper" as const, endpoints: ["127.0.0.1:2181"], prefix });

describe("sourcesOverlap", () => {
  test.each([
    ["the same prefix", etcd("/services/"), etcd("/services/"), true],
    ["one prefix inside the other", etcd("/"), etcd("/services/"), true],
    ["the same endpoint written with a scheme", etcd("/a/", ["http://127.0.0.1:2379"]), etcd("/a/b/"), true],
    ["side by side", etcd("/services/"), etcd("/microservices/"), false],
    ["other endpoints", etcd("/services/", ["10.0.0.1:2379"]), etcd("/services/"), false],
    ["a one-segment pattern beside a deeper prefix", etcd("/*"), etcd("/services/"), false],
    ["a one-segment pattern over the whole keyspace", etcd("/*"), etcd("/"), true],
    ["patterns of the same depth", etcd("/svc/*/*"), etcd("/svc/orders/*"), true],
    ["patterns of other depths", etcd("/*"), etcd("/svc/*/*"), false],
    ["ZooKeeper paths, nested", zk("/dubbo"), zk("/dubbo/com.foo"), true],
    ["ZooKeeper root over anything", zk("/"), zk("/services"), true],
    ["ZooKeeper paths sharing only a start", zk("/dubbo"), zk("/dubbo2"), false],
    ["another kind", etcd("/"), zk("/"), false],
  ])("%s: %s", (_, a, b, expected) => {
    expect(sourcesOverlap(a, b)).toBe(expected);
    expect(sourcesOverlap(b, a)).toBe(expected);
  });
});
