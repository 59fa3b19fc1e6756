import { describe, expect, test } from "vitest";
import { ZDataPlaneInput } from "./schemas";

const valid = { name: "edge", kind: "haproxy", address: "/run/haproxy/admin.sock" };

describe("data plane input", () => {
  test("defaults: the naming rule, Meshdeck's health, enabled", () => {
    expect(ZDataPlaneInput.parse(valid)).toEqual({ ...valid, backends: null, healthMode: "meshdeck", enabled: true });
  });

  test.each(["/run/haproxy/admin.sock", "ipv4@127.0.0.1:9999", "ipv4@10.0.0.5:9999", "ipv4@haproxy.internal:9999"])(
    "takes the runtime address %s",
    (address) => {
      expect(ZDataPlaneInput.safeParse({ ...valid, address }).success).toBe(true);
    },
  );

  test.each([
    ["ipv4@169.254.169.254:9999", /refused by address policy/],
    ["ipv4@0.0.0.0:9999", /refused by address policy/],
    ["ipv4@127.0.0.1:0", /unix socket path/],
    ["ipv4@127.0.0.1:70000", /unix socket path/],
    ["127.0.0.1:9999", /unix socket path/],
    ["run/admin.sock", /unix socket path/],
    ["/run/admin sock", /unix socket path/],
    ["/run/admin.sock\nshow info", /unix socket path/],
    ["/run/../etc/x.sock", /unix socket path/],
    [`/${"a".repeat(120)}`, /unix socket path/],
  ])("refuses the runtime address %j", (address, message) => {
    const issue = ZDataPlaneInput.safeParse({ ...valid, address }).error?.issues[0];
    expect(issue?.path).toEqual(["address"]);
    expect(issue?.message).toMatch(message);
  });

  test.each([
    [{ backends: { orders: "orders be" } }, ["backends", "orders"]],
    [{ backends: { orders: "x;del" } }, ["backends", "orders"]],
    [{ backends: { "bad service": "orders" } }, ["backends", "bad service"]],
    [{ backends: { a: "web", b: "web" } }, ["backends"]],
    [{ kind: "nginx" }, ["kind"]],
    [{ healthMode: "agent" }, ["healthMode"]],
    [{ name: "Edge" }, ["name"]],
    [{ extra: 1 }, []],
  ])("refuses %j, naming the field", (change, path) => {
    const issue = ZDataPlaneInput.safeParse({ ...valid, ...change }).error?.issues[0];
    expect(issue?.path).toEqual(path);
  });

  test("an explicit map of services to backends", () => {
    expect(ZDataPlaneInput.parse({ ...valid, backends: { orders: "be_orders", users: "users" } }).backends).toEqual({ orders: "be_orders", users: "users" });
  });
});
