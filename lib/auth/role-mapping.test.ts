import { describe, expect, test } from "vitest";
import { mapRole, ZRoleMapping } from "./role-mapping";

const mapping = ZRoleMapping.parse("mesh-admins=admin, mesh-ops=operator,mesh-view=viewer");

describe("mapRole", () => {
  test.each([
    { claim: ["mesh-view", "mesh-admins", "mesh-ops"], role: "admin" },
    { claim: ["mesh-view", "mesh-ops"], role: "operator" },
    { claim: ["staff", "mesh-view"], role: "viewer" },
    { claim: "mesh-ops", role: "operator" },
    { claim: "staff mesh-admins", role: "admin" },
    { claim: ["finance"], role: null },
    { claim: [], role: null },
    { claim: undefined, role: null },
    { claim: { "mesh-admins": true }, role: null },
    { claim: [42, "MESH-ADMINS"], role: null },
  ])("$claim maps to $role", ({ claim, role }) => {
    expect(mapRole({ claim, mapping })).toBe(role);
  });
});

describe("ZRoleMapping", () => {
  test("reads value=role pairs, with = allowed inside the value", () => {
    expect(ZRoleMapping.parse("/mesh/ops=operator, team=a=admin")).toEqual([
      { value: "/mesh/ops", role: "operator" },
      { value: "team=a", role: "admin" },
    ]);
  });

  test.each(["mesh-admins", "=admin", "mesh-admins=root", "a=admin,a=viewer"])("refuses %j", (text) => {
    expect(ZRoleMapping.safeParse(text).success).toBe(false);
  });

  test("unset maps nothing", () => {
    expect(ZRoleMapping.parse(undefined)).toEqual([]);
  });
});
