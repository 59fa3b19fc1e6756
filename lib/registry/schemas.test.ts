import { describe, expect, test } from "vitest";
import { ZRegisterInstance } from "./schemas";

const valid = { service: "orders", id: "orders-1", host: "10.0.0.7", port: 8080 };

describe("ZRegisterInstance", () => {
  test("fills in the defaults: weight 100, no tags, a 3 s TTL check deregistered after a minute critical", () => {
    expect(ZRegisterInstance.parse(valid)).toEqual({
      ...valid,
      weight: 100,
      tags: [],
      metadata: {},
      check: { kind: "ttl", ttl: 3000, deregisterAfter: 60_000 },
      metrics: { path: "/metrics" },
    });
  });

  test("fills an http check with the defaults of DESIGN.md", () => {
    const parsed = ZRegisterInstance.parse({ ...valid, check: { kind: "http" } });
    expect(parsed.check).toEqual({ kind: "http", path: "/health", interval: 1000, timeout: 800, rise: 2, fall: 2, deregisterAfter: null });
  });

  test.each([
    ["port", { port: 0 }],
    ["port", { port: 65536 }],
    ["port", { port: "80" }],
    ["port", { port: 80.5 }],
    ["weight", { weight: -1 }],
    ["weight", { weight: 10001 }],
    ["weight", { weight: 2.5 }],
    ["service", { service: "" }],
    ["service", { service: "x".repeat(129) }],
    ["service", { service: "-leading-dash" }],
    ["service", { service: "has space" }],
    ["id", { id: "a/b" }],
    ["host", { host: "" }],
    ["host", { host: "bad host" }],
    ["tags", { tags: Array.from({ length: 33 }, (_, index) => `t${index}`) }],
    ["tags.0", { tags: ["x".repeat(65)] }],
    ["metadata.key", { metadata: { key: "v".repeat(513) } }],
    // Script checks come only through the Consul API (ZCompatCheck), never Meshdeck's own.
    ["check.kind", { check: { kind: "script", args: ["/bin/true"] } }],
    ["check.timeout", { check: { kind: "http", interval: "1s", timeout: "1s" } }],
    ["check.interval", { check: { kind: "tcp", interval: "99ms", timeout: "50ms" } }],
    ["check.path", { check: { kind: "http", path: "health" } }],
    ["check.ttl", { check: { kind: "ttl", ttl: "500ms" } }],
    ["check.ttl", { check: { kind: "ttl", ttl: "soon" } }],
    ["check", { check: { kind: "ttl", ttl: "3s", interval: "1s" } }],
  ])("refuses a bad %s", (field, overrides) => {
    const result = ZRegisterInstance.safeParse({ ...valid, ...overrides });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path.join(".")).toBe(field);
  });

  // The address policy: a host nothing may connect to is refused, with why, whatever its spelling.
  test.each([
    "169.254.169.254",
    "[::ffff:a9fe:a9fe]",
    "::ffff:169.254.169.254",
    "fd00:ec2:0:0:0:0:0:254",
    "2852039166",
    "0251.0376.0251.0376",
    "0xa9fea9fe",
    "fe80::1",
    "0.0.0.0",
    "::",
  ])("refuses the host %s by the address policy", (host) => {
    const issue = ZRegisterInstance.safeParse({ ...valid, host }).error?.issues[0];
    expect(issue?.path).toEqual(["host"]);
    expect(issue?.message).toMatch(/^refused by address policy: /);
  });

  test("refuses an unknown field by name", () => {
    const result = ZRegisterInstance.safeParse({ ...valid, colour: "blue" });
    expect(result.error?.issues[0]?.message).toMatch(/colour/);
  });

  test("accepts the boundaries", () => {
    for (const overrides of [
      { port: 1 },
      { port: 65535 },
      { weight: 0 },
      { weight: 10000 },
      { service: "x".repeat(128) },
      { host: "::1" },
      { host: "127.0.0.1" },
      { host: "checkout.internal" },
    ]) {
      expect(ZRegisterInstance.safeParse({ ...valid, ...overrides }).success).toBe(true);
    }
  });
});

describe("duration bounds", () => {
  test.each([
    ["check.ttl", { check: { kind: "ttl", ttl: "25h" } }],
    ["check.interval", { check: { kind: "http", interval: "2000h", timeout: "1s" } }],
    ["check.deregisterAfter", { check: { kind: "ttl", deregisterAfter: "721h" } }],
  ])("refuses a %s too long for the database", (field, overrides) => {
    const result = ZRegisterInstance.safeParse({ ...valid, ...overrides });
    expect(result.error?.issues[0]?.path.join(".")).toBe(field);
  });
});
