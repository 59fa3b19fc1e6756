import { beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { ZRoleMapping } from "./role-mapping";
import type { TSsoSettings } from "./sso";
import { admitSsoPerson } from "./sso-users";
import { createUser, setUserPassword, updateUser } from "./users";

const settings: TSsoSettings = {
  issuer: "https://idp.test/realms/acme",
  clientId: "meshdeck",
  clientSecret: "secret",
  name: "Test IdP",
  scopes: "openid email profile groups",
  roleClaim: "groups",
  roles: ZRoleMapping.parse("mesh-admins=admin,mesh-ops=operator"),
};
const system = { type: "system", name: "test" } as const;
const admit = (userinfo: Record<string, unknown>, idToken?: string) => admitSsoPerson({ settings, userinfo, idToken });
const idToken = (claims: Record<string, unknown>) => `e30.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.sig`;

beforeAll(async () => {
  await migrateDatabase();
});

describe("admitSsoPerson", () => {
  test("provisions at first sign-in, re-applies the role at the next, and audits the change", async () => {
    const first = await admit({ sub: "s-1", email: "Ada@Example.com", name: "Ada", groups: ["mesh-ops"] });
    expect(first).toMatchObject({ id: expect.any(String) });
    const id = (first as { id: string }).id;
    expect(await db.user.findUnique({ where: { id }, select: { email: true, role: true, ssoIssuer: true, ssoSubject: true } })).toEqual({
      email: "ada@example.com",
      role: "operator",
      ssoIssuer: settings.issuer,
      ssoSubject: "s-1",
    });
    expect(await admit({ sub: "s-1", email: "ada@example.com", name: "Ada", groups: ["mesh-ops", "mesh-admins"] })).toEqual({ id });
    expect((await db.user.findUniqueOrThrow({ where: { id } })).role).toBe("admin");
    const audits = await db.auditEvent.findMany({ where: { target: `user/${id}` }, select: { action: true, actorName: true } });
    expect(audits).toEqual([
      { action: "user.create", actorName: "single sign-on" },
      { action: "user.role", actorName: "single sign-on" },
    ]);
    await expect(setUserPassword({ actor: system, id, password: "a long enough password" })).rejects.toThrow(/single sign-on/);
  });

  test("reads the claim from the ID token when userinfo lacks it", async () => {
    expect(await admit({ sub: "s-2", email: "idt@example.com" }, idToken({ groups: ["mesh-admins"] }))).toMatchObject({ id: expect.any(String) });
  });

  test.each([
    { why: "no-role", userinfo: { sub: "s-3", email: "una@example.com", groups: ["finance"] } },
    { why: "no-role", userinfo: { sub: "s-3", email: "una@example.com" } },
    { why: "no-email", userinfo: { sub: "s-4", groups: ["mesh-ops"] } },
    { why: "no-email", userinfo: { email: "nosub@example.com", groups: ["mesh-ops"] } },
  ])("refuses $userinfo: $why, storing no user", async ({ why, userinfo }) => {
    const before = await db.user.count();
    expect(await admit(userinfo)).toEqual({ refused: why });
    expect(await db.user.count()).toBe(before);
  });

  test("never takes over a local account with the same address, and keeps a disabled SSO user out", async () => {
    await createUser({ actor: system, input: { email: "local@example.com", name: "Local", password: "a long enough password", role: "viewer" } });
    expect(await admit({ sub: "s-5", email: "local@example.com", groups: ["mesh-admins"] })).toEqual({ refused: "local-account" });

    const made = (await admit({ sub: "s-6", email: "gone@example.com", groups: ["mesh-ops"] })) as { id: string };
    await updateUser({ actor: system, id: made.id, input: { disabled: true } });
    expect(await admit({ sub: "s-6", email: "gone@example.com", groups: ["mesh-ops"] })).toEqual({ refused: "disabled" });
  });

  test("keeps the last enabled administrator an admin when the claim would lower them, audited with why", async () => {
    const made = (await admit({ sub: "s-7", email: "last@example.com", groups: ["mesh-admins"] })) as { id: string };
    // Every other administrator disabled: this one is the last.
    const others = await db.user.findMany({ where: { role: "admin", id: { not: made.id }, disabledAt: null }, select: { id: true } });
    await db.user.updateMany({ where: { id: { in: others.map((user) => user.id) } }, data: { disabledAt: new Date() } });

    expect(await admit({ sub: "s-7", email: "last@example.com", groups: ["mesh-ops"] })).toEqual({ id: made.id });
    expect((await db.user.findUniqueOrThrow({ where: { id: made.id } })).role).toBe("admin");
    expect(
      await db.auditEvent.findMany({ where: { target: `user/${made.id}`, action: { startsWith: "user.role" } }, select: { action: true, reason: true } }),
    ).toEqual([{ action: "user.role.kept", reason: "the provider's claim maps to operator, but this is the last administrator" }]);

    // Another administrator again: the claim's role applies.
    await db.user.updateMany({ where: { id: { in: others.map((user) => user.id) } }, data: { disabledAt: null } });
    expect(await admit({ sub: "s-7", email: "last@example.com", groups: ["mesh-ops"] })).toEqual({ id: made.id });
    expect((await db.user.findUniqueOrThrow({ where: { id: made.id } })).role).toBe("operator");
  });
});
