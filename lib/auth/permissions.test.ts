import { describe, expect, test } from "vitest";
import { ZGrants } from "./grants";
import { assertPermission, can, matchesServicePattern, roleBundles, tokenPermissions } from "./permissions";

const token = (grants: Parameters<typeof assertPermission>[0]["actor"] & { type: "token" }) => grants;
const ci = token({ type: "token", grants: [{ permission: "governance.change", services: ["orders*"] }, { permission: "services.read" }] });

describe("permissions", () => {
  test.each([
    ["viewer", "services.read", true],
    ["viewer", "config.publish", false],
    ["operator", "config.publish", true],
    ["operator", "namespaces.manage", false],
    ["admin", "users.manage", true],
  ] as const)("a %s may do %s: %s", (role, permission, allowed) => {
    expect(can({ role, permission })).toBe(allowed);
  });

  test("roles are bundles, each holding the one below it", () => {
    expect(roleBundles.viewer.every((permission) => roleBundles.operator.includes(permission))).toBe(true);
    expect(roleBundles.operator.every((permission) => roleBundles.admin.includes(permission))).toBe(true);
    expect(roleBundles.viewer).not.toContain("governance.change");
    expect(roleBundles.operator).toContain("governance.change");
  });

  test("a user below the role is refused, saying which role it needs", () => {
    expect(() => assertPermission({ actor: { type: "user", role: "viewer" }, permission: "governance.change" })).toThrow(
      "this needs the operator role; you are viewer",
    );
  });

  test.each([
    ["governance.change", { service: "orders-2" }, undefined],
    ["governance.change", {}, undefined],
    ["governance.change", { service: "payments" }, "this API token lacks governance.change for service 'payments'"],
    ["registry.register", { service: "orders" }, "this API token lacks registry.register"],
    ["services.read", {}, undefined],
    ["config.publish", {}, "this API token lacks config.publish, which tokens cannot hold; sign in as a user with the operator role"],
  ] as const)("a token granted governance.change on orders* and services.read, asked %s %o: %s", (permission, scope, refusal) => {
    const check = () => assertPermission({ actor: ci, permission, ...scope });
    if (refusal) expect(check).toThrow(refusal);
    else expect(check).not.toThrow();
  });

  test("a token's config.read narrowed to namespaces names the one it lacks", () => {
    const reader = token({ type: "token", grants: [{ permission: "config.read", namespaces: ["dev"] }] });
    expect(() => assertPermission({ actor: reader, permission: "config.read", namespace: "dev" })).not.toThrow();
    expect(() => assertPermission({ actor: reader, permission: "config.read", namespace: "prod" })).toThrow("lacks config.read for namespace 'prod'");
  });

  test.each([
    ["orders*", "orders", true],
    ["orders*", "orders-2", true],
    ["orders*", "order", false],
    ["orders", "orders", true],
    ["orders", "orders-2", false],
  ])("pattern %s matches %s: %s", (pattern, service, matches) => {
    expect(matchesServicePattern(pattern, service)).toBe(matches);
  });

  test.each([
    [[{ permission: "governance.change", services: ["orders*"] }], true],
    [[{ permission: "governance.change", services: ["*"] }], true],
    [[{ permission: "config.read", namespaces: ["dev"] }], true],
    [[{ permission: "config.read", services: ["orders"] }], false],
    [[{ permission: "users.manage" }], false],
    [[{ permission: "services.read" }, { permission: "services.read" }], false],
    [[{ permission: "registry.register", services: ["or ders"] }], false],
    [[], false],
  ])("grants %j are valid: %s", (grants, valid) => {
    expect(ZGrants.safeParse(grants).success).toBe(valid);
  });

  test("only what a service needs is open to tokens; managing Meshdeck itself is not", () => {
    expect(tokenPermissions).toEqual(expect.arrayContaining(["registry.register", "governance.change", "config.read", "config.secrets"]));
    expect(tokenPermissions).not.toContain("tokens.manage");
    expect(tokenPermissions).not.toContain("users.manage");
  });
});
