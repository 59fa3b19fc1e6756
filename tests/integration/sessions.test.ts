import { afterAll, beforeAll, expect, test } from "vitest";
import { adminAndToken, apiClient, signIn, signOut, unique } from "../support/client";
import { freePort } from "../support/server-process";
import { startApp, type TAppTarget } from "../support/start-app";
import { describeTargetsSideBySide } from "../support/side-by-side";

// Sessions end on the server: a copied cookie is refused after sign-out, and a password change, role change or
// disabling ends a user's sessions at once on every app process. A second app process on each database trusts
// 127.0.0.1 as a proxy and has a 6 s idle timeout.
const stops: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(stops.map((stop) => stop()));
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeTargetsSideBySide("sessions on $name", (target) => {
  let second: TAppTarget;
  beforeAll(async () => {
    const app = await startApp({
      name: `${target.name}-sessions`,
      port: await freePort(),
      databaseUrl: target.databaseUrl,
      admin: target.admin,
      env: { MESHDECK_TRUSTED_PROXIES: "127.0.0.1/32", MESHDECK_SESSION_IDLE_MINUTES: "0.1", MESHDECK_COLLECTOR: "off" },
    });
    stops.push(app.stop);
    second = app.target;
  });

  async function newUser(role = "viewer") {
    const { admin } = await adminAndToken(target);
    const email = `${unique("session")}@meshdeck.test`;
    const password = `pw-${unique("p")}`;
    const created = await admin.post("/api/v1/users", { email, name: "Session user", password, role });
    expect(created.status).toBe(201);
    return { admin, id: created.body.user.id as string, email, password };
  }

  async function session(app: TAppTarget, credentials: { email: string; password: string }) {
    const { cookie } = await signIn(app, credentials);
    expect(cookie).toBeDefined();
    return cookie!;
  }

  const status = async (app: TAppTarget, cookie: string) => (await apiClient(app, { cookie }).get("/api/v1/services")).status;

  test("a copied cookie is refused right after sign-out, on every process, and pages send it to sign in", async () => {
    const user = await newUser();
    const cookie = await session(target, user);
    expect(await status(target, cookie)).toBe(200);
    expect(await status(second, cookie)).toBe(200);
    const out = await signOut(target, cookie);
    expect([302, 303]).toContain(out.status);
    expect(await status(target, cookie)).toBe(401);
    expect(await status(second, cookie)).toBe(401);
    const page = await fetch(`${target.baseUrl}/services`, { headers: { cookie }, redirect: "manual" });
    expect(page.headers.get("location")).toMatch(/\/login\?callbackUrl=%2Fservices$/);
  });

  test("a password change, a role change and disabling end the user's sessions on another process at once", async () => {
    const user = await newUser("operator");
    const admin = user.admin;

    // Own password change: the session that made it goes on, every other one ends.
    const [changer, other] = [await session(target, user), await session(second, user)];
    const newPassword = `new-${unique("pw")}`;
    const changed = await apiClient(target, { cookie: changer }).put("/api/v1/account/password", { currentPassword: user.password, newPassword });
    expect(changed.status).toBe(204);
    expect(await status(second, other)).toBe(401);
    expect(await status(second, changer)).toBe(200);
    user.password = newPassword;

    const byRole = await session(second, user);
    expect((await admin.patch(`/api/v1/users/${user.id}`, { role: "viewer" })).status).toBe(200);
    expect(await status(second, byRole)).toBe(401);
    expect(await status(second, changer)).toBe(401);

    const bySetPassword = await session(second, user);
    expect((await admin.put(`/api/v1/users/${user.id}/password`, { password: "set-by-the-admin-1" })).status).toBe(204);
    expect(await status(second, bySetPassword)).toBe(401);
    user.password = "set-by-the-admin-1";

    const byDisable = await session(second, user);
    expect((await admin.patch(`/api/v1/users/${user.id}`, { disabled: true })).status).toBe(200);
    expect(await status(second, byDisable)).toBe(401);
    expect((await signIn(second, user)).cookie).toBeUndefined();
  });

  test("a session ends after the idle timeout, counted from its last request", async () => {
    const user = await newUser();
    const idle = await session(second, user);
    const busy = await session(second, user);
    for (let elapsed = 0; elapsed < 8_000; elapsed += 2_000) {
      expect(await status(second, busy)).toBe(200);
      await sleep(2_000);
    }
    // 8 s without a request, against a 6 s idle timeout; the busy one was last seen 2 s ago.
    expect(await status(second, idle)).toBe(401);
    expect(await status(second, busy)).toBe(200);
  });

  test("a forged X-Forwarded-For does not escape the sign-in throttle", async () => {
    const user = await newUser();
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const forged = { "x-forwarded-for": `198.51.100.${attempt}`, "x-meshdeck-client-address": `203.0.113.${attempt}` };
      expect((await signIn(target, { email: user.email, password: "wrong-password" }, forged)).location).toMatch(/error=CredentialsSignin/);
    }
    const right = await signIn(target, user, { "x-forwarded-for": "198.51.100.99", "x-meshdeck-client-address": "203.0.113.99" });
    expect(right.cookie).toBeUndefined();
    expect(right.location).toMatch(/code=slow_down/);
  });

  test("behind a trusted proxy, X-Forwarded-For names the client the throttle counts", async () => {
    const user = await newUser();
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      await signIn(second, { email: user.email, password: "wrong-password" }, { "x-forwarded-for": "198.51.100.7" });
    }
    const throttled = await signIn(second, user, { "x-forwarded-for": "198.51.100.7" });
    expect(throttled.location).toMatch(/code=slow_down/);
    // Another client behind the same proxy is not held up by the first one's failures.
    const other = await signIn(second, user, { "x-forwarded-for": "6.6.6.6, 198.51.100.8" });
    expect(other.cookie).toBeDefined();
  });
});
