import { describe, expect, inject, test } from "vitest";
import { adminAndToken, apiClient, signIn, unique } from "../support/client";

// User management over the API, every action audited; admin-only pages refuse other roles.
const targets = inject("targets");

describe.each(targets)("users on $name", (target) => {
  async function newUser(role = "viewer") {
    const { admin } = await adminAndToken(target);
    const email = `${unique("user")}@meshdeck.test`;
    const password = `pw-${unique("p")}`;
    const created = await admin.post("/api/v1/users", { email, name: `Name ${email}`, password, role });
    expect(created.status).toBe(201);
    return { admin, id: created.body.user.id as string, email, password, name: `Name ${email}` };
  }

  test("role changes, disabling, enabling, set passwords and deletion are audited, and the name outlives the user", async () => {
    const user = await newUser();
    const { admin } = user;
    expect((await admin.patch(`/api/v1/users/${user.id}`, { role: "operator" })).body.user).toMatchObject({ role: "operator" });
    expect((await admin.patch(`/api/v1/users/${user.id}`, { disabled: true })).body.user.disabledAt).not.toBeNull();
    expect((await signIn(target, user)).cookie).toBeUndefined();
    expect((await admin.patch(`/api/v1/users/${user.id}`, { disabled: false })).body.user.disabledAt).toBeNull();
    expect((await signIn(target, user)).cookie).toBeDefined();
    expect((await admin.put(`/api/v1/users/${user.id}/password`, { password: "set-by-the-admin-2" })).status).toBe(204);
    expect((await admin.delete(`/api/v1/users/${user.id}`)).status).toBe(204);
    expect((await admin.delete(`/api/v1/users/${user.id}`)).status).toBe(404);

    const audit = await admin.get(`/api/v1/audit?action=user.`);
    const mine = (audit.body.events as { action: string; target: string; before: unknown }[]).filter((event) => event.target === `user/${user.id}`);
    expect(mine.map((event) => event.action).reverse()).toEqual([
      "user.create",
      "user.role",
      "user.disable",
      "user.enable",
      "user.password.set",
      "user.delete",
    ]);
    expect(JSON.stringify(mine[0]?.before)).toContain(user.name);
    expect(JSON.stringify(audit.body)).not.toContain("set-by-the-admin-2");
  });

  test("an admin cannot demote, disable or delete themself, and bad input is a 4xx", async () => {
    const { admin } = await adminAndToken(target);
    const self = ((await admin.get("/api/v1/users")).body.users as { id: string; email: string }[]).find((row) => row.email === target.admin.email)!;
    expect((await admin.patch(`/api/v1/users/${self.id}`, { role: "viewer" })).status).toBe(403);
    expect((await admin.patch(`/api/v1/users/${self.id}`, { disabled: true })).status).toBe(403);
    expect((await admin.delete(`/api/v1/users/${self.id}`)).status).toBe(403);
    expect((await admin.put(`/api/v1/users/${self.id}/password`, { password: "a-long-password" })).status).toBe(403);
    expect((await admin.patch(`/api/v1/users/${self.id}`, {})).status).toBe(422);
    expect((await admin.patch(`/api/v1/users/${self.id}`, { role: "root" })).body.error.field).toBe("role");
    expect((await admin.patch("/api/v1/users/no-such-user", { role: "viewer" })).status).toBe(404);
    const user = await newUser();
    const short = await admin.put(`/api/v1/users/${user.id}/password`, { password: "short" });
    expect(short.status).toBe(422);
    expect(short.body.error.field).toBe("password");
  });

  test("a password set by an admin must be changed, with the current one, before anything else", async () => {
    const user = await newUser();
    await user.admin.put(`/api/v1/users/${user.id}/password`, { password: "set-by-the-admin-3" });
    const { cookie } = await signIn(target, { email: user.email, password: "set-by-the-admin-3" });
    expect(cookie).toBeDefined();
    const client = apiClient(target, { cookie });
    const refused = await client.get("/api/v1/services");
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/change your password/);
    const page = await fetch(`${target.baseUrl}/services`, { headers: { cookie: cookie! }, redirect: "manual" });
    expect(page.headers.get("location")).toMatch(/\/change-password$/);
    expect((await fetch(`${target.baseUrl}/change-password`, { headers: { cookie: cookie! }, redirect: "manual" })).status).toBe(200);

    const wrong = await client.put("/api/v1/account/password", { currentPassword: "not-the-password", newPassword: "my-own-password-1" });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.field).toBe("currentPassword");
    const same = await client.put("/api/v1/account/password", { currentPassword: "set-by-the-admin-3", newPassword: "set-by-the-admin-3" });
    expect(same.body.error.field).toBe("newPassword");
    expect((await client.put("/api/v1/account/password", { currentPassword: "set-by-the-admin-3", newPassword: "my-own-password-1" })).status).toBe(204);
    expect((await client.get("/api/v1/services")).status).toBe(200);
    expect((await signIn(target, { email: user.email, password: "my-own-password-1" })).cookie).toBeDefined();
    const audit = await user.admin.get(`/api/v1/audit?action=user.password.change`);
    expect((audit.body.events as { target: string }[]).some((event) => event.target === `user/${user.id}`)).toBe(true);
  });

  test("viewers and operators are refused on admin-only pages, and do not see their links", async () => {
    const tokenName = unique("secret-token");
    const { admin } = await adminAndToken(target, tokenName);
    for (const role of ["viewer", "operator"]) {
      const email = `${unique(role)}@meshdeck.test`;
      const password = `pw-${unique("p")}`;
      await admin.post("/api/v1/users", { email, name: role, password, role });
      const { cookie } = await signIn(target, { email, password });
      for (const path of ["/settings/users", "/settings/tokens", "/settings/health"]) {
        const page = await fetch(`${target.baseUrl}${path}`, { headers: { cookie: cookie! }, redirect: "manual" });
        // Sent to the overview: a 307, or, once the dashboard's shell has streamed, the redirect Next.js writes into the page.
        const body = await page.text();
        if (page.status === 200) expect(body).toMatch(/url=\/\?forbidden=admin/);
        else expect(page.headers.get("location")).toMatch(/\/\?forbidden=admin$/);
        expect(body).not.toContain(target.admin.email);
        expect(body).not.toContain(tokenName);
      }
      const other = await (await fetch(`${target.baseUrl}/settings/metrics`, { headers: { cookie: cookie! } })).text();
      expect(other).toContain('href="/services"');
      for (const path of ["/settings/users", "/settings/tokens", "/settings/health"]) expect(other).not.toContain(`href="${path}"`);
    }
    const { cookie } = await signIn(target, target.admin);
    const users = await fetch(`${target.baseUrl}/settings/users`, { headers: { cookie: cookie! } });
    expect(await users.text()).toContain(target.admin.email);
    const tokens = await fetch(`${target.baseUrl}/settings/tokens`, { headers: { cookie: cookie! } });
    expect(await tokens.text()).toContain(tokenName);
    expect((await fetch(`${target.baseUrl}/settings/health`, { headers: { cookie: cookie! }, redirect: "manual" })).status).toBe(200);
  });
});
