import { describe, expect, inject, test } from "vitest";
import { adminAndToken, apiClient, signIn, unique } from "../support/client";

const targets = inject("targets");

describe.each(targets)("sign-in and roles on $name", (target) => {
  test("the admin from the environment signs in; pages need a session", async () => {
    const { cookie, location } = await signIn(target, target.admin);
    expect(cookie).toBeDefined();
    // Next.js writes loopback hosts as "localhost" in absolute redirects; the path is what matters.
    expect(new URL(location).pathname).toBe("/");
    const page = await fetch(`${target.baseUrl}/services`, { headers: { cookie: cookie! }, redirect: "manual" });
    expect(page.status).toBe(200);
    const anonymous = await fetch(`${target.baseUrl}/services`, { redirect: "manual" });
    expect([302, 303, 307]).toContain(anonymous.status);
    expect(anonymous.headers.get("location")).toMatch(/\/login\?callbackUrl=%2Fservices$/);
  });

  test("the setup page is closed once an administrator exists", async () => {
    const response = await fetch(`${target.baseUrl}/setup`, { redirect: "manual" });
    expect(response.headers.get("location")).toMatch(/\/login$/);
  });

  test("a wrong password gets a generic refusal, and repeated failures are slowed down", async () => {
    const { admin } = await adminAndToken(target);
    const email = `${unique("viewer")}@meshdeck.test`;
    const password = "a-viewer-password";
    expect((await admin.post("/api/v1/users", { email, name: "Viewer", password, role: "viewer" })).status).toBe(201);

    const wrong = await signIn(target, { email, password: "not-the-password" });
    expect(wrong.cookie).toBeUndefined();
    expect(wrong.location).toMatch(/error=CredentialsSignin/);
    const unknown = await signIn(target, { email: "nobody@meshdeck.test", password: "not-the-password" });
    expect(unknown.location).toMatch(/error=CredentialsSignin/);
    expect(unknown.location).not.toMatch(/slow_down/);

    for (let attempt = 0; attempt < 2; attempt += 1) await signIn(target, { email, password: "still-wrong" });
    // Three failures in a row: even the right password must wait now.
    const throttled = await signIn(target, { email, password });
    expect(throttled.cookie).toBeUndefined();
    expect(throttled.location).toMatch(/code=slow_down/);
  });

  test("a viewer reads but cannot register instances or manage tokens", async () => {
    const { admin } = await adminAndToken(target);
    const email = `${unique("viewer")}@meshdeck.test`;
    const password = "another-viewer-password";
    await admin.post("/api/v1/users", { email, name: "Viewer", password, role: "viewer" });
    const { cookie } = await signIn(target, { email, password });
    const viewer = apiClient(target, { cookie });
    expect((await viewer.get("/api/v1/services")).status).toBe(200);
    const register = await viewer.post("/api/v1/registry/instances", { service: "x", id: unique("x"), host: "127.0.0.1", port: 1 });
    expect(register.status).toBe(403);
    expect(register.body.error.message).toMatch(/operator/);
    expect((await viewer.post("/api/v1/tokens", { name: "nope" })).status).toBe(403);
    expect((await viewer.post("/api/v1/users", { email: "x@y.z", name: "x", password: "xxxxxxxxxxxx", role: "admin" })).status).toBe(403);
  });

  test("user creation validates its input", async () => {
    const { admin } = await adminAndToken(target);
    const short = await admin.post("/api/v1/users", { email: `${unique("u")}@meshdeck.test`, name: "U", password: "short", role: "viewer" });
    expect(short.status).toBe(422);
    expect(short.body.error.field).toBe("password");
    const role = await admin.post("/api/v1/users", { email: `${unique("u")}@meshdeck.test`, name: "U", password: "long-enough-password", role: "root" });
    expect(role.body.error.field).toBe("role");
    const duplicate = await admin.post("/api/v1/users", { email: target.admin.email, name: "U", password: "long-enough-password", role: "viewer" });
    expect(duplicate.status).toBe(409);
  });
});
