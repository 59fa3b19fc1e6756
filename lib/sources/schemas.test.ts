import { describe, expect, test } from "vitest";
import { ZSourceInput } from "./schemas";

const valid = { name: "registry", kind: "etcd", convention: "url", endpoints: ["127.0.0.1:2379"] };

describe("source endpoints and the address policy", () => {
  test.each([
    "169.254.169.254:2379",
    "http://169.254.169.254:2379",
    "[fd00:ec2::254]:2379",
    "https://[::ffff:a9fe:a9fe]:2379",
    "0xa9fea9fe:2181",
    "0.0.0.0:2379",
  ])("refuses %s, naming the endpoint", (endpoint) => {
    const issue = ZSourceInput.safeParse({ ...valid, endpoints: ["127.0.0.1:2379", endpoint] }).error?.issues[0];
    expect(issue?.path).toEqual(["endpoints", 1]);
    expect(issue?.message).toMatch(/^refused by address policy: /);
  });

  test.each(["127.0.0.1:2379", "etcd.internal:2379", "http://10.0.0.5:2379", "[::1]:2181"])("takes %s", (endpoint) => {
    expect(ZSourceInput.safeParse({ ...valid, endpoints: [endpoint] }).success).toBe(true);
  });
});

describe("source endpoint ports", () => {
  test.each(["127.0.0.1:0", "127.0.0.1:99999", "http://127.0.0.1:65536", "[::1]:0"])("refuses %s, naming the endpoint", (endpoint) => {
    const issue = ZSourceInput.safeParse({ ...valid, endpoints: [endpoint] }).error?.issues[0];
    expect(issue?.path).toEqual(["endpoints", 0]);
    expect(issue?.message).toMatch(/port must be between 1 and 65535/);
  });
});
