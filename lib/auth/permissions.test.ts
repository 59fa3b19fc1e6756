import { describe, expect, test } from "vitest";
import { assertPermission, can } from "./permissions";

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

  test("an API token may do only what the table opens to tokens", () => {
    expect(() => assertPermission({ caller: { type: "token" }, permission: "registry.register" })).not.toThrow();
    expect(() => assertPermission({ caller: { type: "token" }, permission: "config.publish" })).toThrow(
      "API tokens cannot call this; sign in as a user with the operator role",
    );
  });

  test("a user below the role is refused, saying which role it needs", () => {
    expect(() => assertPermission({ caller: { type: "user", role: "viewer" }, permission: "governance.change" })).toThrow(
      "this needs the operator role; you are viewer",
    );
  });
});
