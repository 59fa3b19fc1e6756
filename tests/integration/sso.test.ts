import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { apiClient, signIn, signOut } from "../support/client";
import { oidcUsers, startOidcProvider, type TOidcProvider } from "../support/oidc-provider";
import { signInThroughProvider } from "../support/oidc-sign-in";
import { freePort, sleep } from "../support/server-process";
import { startApp, type TAppTarget } from "../support/start-app";

// Single sign-on against a real provider (the npm oidc-provider package): people are admitted with the role their
// groups map to, or refused; a callback whose state is not the one this browser started with is refused. Each
// database gets an app with SSO on and password sign-in off; one more app points at a provider that is down.
const targets = inject("targets");
const stops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const stop of stops.reverse()) await stop();
});

async function appWithSso(target: TAppTarget, name: string, env: (port: number) => Promise<Record<string, string>>) {
  const port = await freePort();
  const app = await startApp({
    name,
    port,
    databaseUrl: target.databaseUrl,
    admin: target.admin,
    env: { MESHDECK_COLLECTOR: "off", MESHDECK_LOCAL_SIGNIN: "off", ...(await env(port)) },
  });
  stops.push(app.stop);
  return app.target;
}

describe.each(targets)("single sign-on on $name", (target) => {
  let provider: TOidcProvider;
  let app: TAppTarget;
  beforeAll(async () => {
    app = await appWithSso(target, `${target.name}-sso`, async (port) => {
      provider = await startOidcProvider({ redirectUris: [`http://127.0.0.1:${port}/api/auth/callback/oidc`] });
      stops.push(provider.stop);
      // Roles are checked again at the provider every 3 s, so a session refresh shows within the test.
      return { ...provider.env, MESHDECK_OIDC_REFRESH_MINUTES: "0.05" };
    });
  });

  const users = async () => {
    const { cookie } = await signIn(target, target.admin);
    return (await apiClient(target, { cookie }).get("/api/v1/users")).body.users as { email: string; role: string; ssoIssuer: string | null }[];
  };

  test("asks for the code with PKCE (S256), state and nonce", async () => {
    const { authorizeUrl } = await signInThroughProvider({ baseUrl: app.baseUrl, login: "ada" });
    const params = authorizeUrl.searchParams;
    expect(params.get("code_challenge_method")).toBe("S256");
    expect(params.get("code_challenge")).toMatch(/^[\w-]{43}$/);
    expect(params.get("state")).toBeTruthy();
    expect(params.get("nonce")).toBeTruthy();
    expect(params.get("scope")).toBe("openid email profile groups");
  });

  test("provisions the admin and the operator with their mapped roles, as SSO users, and sign-out ends the session", async () => {
    const ada = await signInThroughProvider({ baseUrl: app.baseUrl, login: "ada" });
    expect(ada.location).toBe(`${app.baseUrl}/`);
    expect(ada.cookie).toBeDefined();
    expect((await apiClient(app, { cookie: ada.cookie }).get("/api/v1/users")).status).toBe(200);

    const otto = await signInThroughProvider({ baseUrl: app.baseUrl, login: "otto" });
    expect(otto.cookie).toBeDefined();
    expect((await apiClient(app, { cookie: otto.cookie }).get("/api/v1/services")).status).toBe(200);
    expect((await apiClient(app, { cookie: otto.cookie }).get("/api/v1/users")).status).toBe(403);

    const listed = await users();
    expect(listed.find((user) => user.email === oidcUsers.ada.email)).toMatchObject({ role: "admin", ssoIssuer: provider.issuer });
    expect(listed.find((user) => user.email === oidcUsers.otto.email)).toMatchObject({ role: "operator", ssoIssuer: provider.issuer });

    expect([302, 303]).toContain((await signOut(app, ada.cookie!)).status);
    expect((await apiClient(app, { cookie: ada.cookie }).get("/api/v1/services")).status).toBe(401);
    expect((await apiClient(app, { cookie: otto.cookie }).get("/api/v1/services")).status).toBe(200);
  });

  test("applies a group change at the provider at the next sign-in, and audits it", async () => {
    provider.setGroups("otto", ["mesh-view"]);
    try {
      const otto = await signInThroughProvider({ baseUrl: app.baseUrl, login: "otto" });
      expect(otto.cookie).toBeDefined();
      expect((await users()).find((user) => user.email === oidcUsers.otto.email)?.role).toBe("viewer");
      const { cookie } = await signIn(target, target.admin);
      const audit = await apiClient(target, { cookie }).get("/api/v1/audit?action=user.role");
      expect(JSON.stringify(audit.body)).toContain("single sign-on");
    } finally {
      provider.setGroups("otto", [...oidcUsers.otto.groups]);
    }
  });

  test("re-applies the role at session refresh, and ends the session when no group maps any more", async () => {
    const otto = await signInThroughProvider({ baseUrl: app.baseUrl, login: "otto" });
    const api = apiClient(app, { cookie: otto.cookie });
    try {
      provider.setGroups("otto", ["mesh-admins"]);
      await sleep(3500);
      expect((await api.get("/api/v1/users")).status).toBe(200);
      provider.setGroups("otto", ["finance"]);
      await sleep(3500);
      expect((await api.get("/api/v1/services")).status).toBe(401);
      expect((await users()).find((user) => user.email === oidcUsers.otto.email)?.role).toBe("admin");
    } finally {
      provider.setGroups("otto", [...oidcUsers.otto.groups]);
    }
  });

  test("refuses a person whose groups map to no role, with the reason, and stores no user", async () => {
    const una = await signInThroughProvider({ baseUrl: app.baseUrl, login: "una" });
    expect(una.location).toBe(`${app.baseUrl}/login/error?error=no-role`);
    expect(una.cookie).toBeUndefined();
    const page = await fetch(una.location);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("so you have no access");
    expect((await users()).some((user) => user.email === oidcUsers.una.email)).toBe(false);
  });

  test("refuses a callback with a wrong state, though its code is real", async () => {
    const result = await signInThroughProvider({
      baseUrl: app.baseUrl,
      login: "ada",
      tamper: (callback) => {
        callback.searchParams.set("state", `${callback.searchParams.get("state")}x`);
        return callback;
      },
    });
    expect(result.location).toBe(`${app.baseUrl}/login/error?error=Configuration`);
    expect(result.cookie).toBeUndefined();
  });

  test("refuses password sign-in while SSO works, even for the admin", async () => {
    const { cookie, location } = await signIn(app, target.admin);
    expect(cookie).toBeUndefined();
    expect(location).toContain("code=local_off");
  });
});

describe("password sign-in off while the provider is down", () => {
  const target = targets[0]!;
  let app: TAppTarget;
  beforeAll(async () => {
    // A port nothing listens on: discovery fails, as when the provider is down.
    const down = await freePort();
    app = await appWithSso(target, `${target.name}-sso-down`, async () => ({
      MESHDECK_OIDC_ISSUER: `http://127.0.0.1:${down}`,
      MESHDECK_OIDC_CLIENT_ID: "meshdeck",
      MESHDECK_OIDC_CLIENT_SECRET: "not-used-secret",
      MESHDECK_OIDC_NAME: "Test IdP",
      MESHDECK_OIDC_ROLES: "mesh-admins=admin",
    }));
  });

  test("lets the local admin sign in, says why on the page, and keeps other local users out", async () => {
    const page = await (await fetch(`${app.baseUrl}/login`)).text();
    expect(page).toContain("Test IdP is unavailable (it could not be reached), so local administrators may sign in with their password.");
    expect(page).toContain("Sign in with Test IdP");

    const admin = await signIn(app, target.admin);
    expect(admin.cookie).toBeDefined();
    const api = apiClient(app, { cookie: admin.cookie });
    const email = `viewer-${Date.now()}@meshdeck.test`;
    const password = `pw-${Date.now()}-viewer`;
    expect((await api.post("/api/v1/users", { email, name: "Viewer", password, role: "viewer" })).status).toBe(201);
    const viewer = await signIn(app, { email, password });
    // Refused as a wrong password is: the answer does not tell whether the password was right.
    expect(viewer.cookie).toBeUndefined();
    expect(viewer.location).toContain("error=CredentialsSignin");
    expect(viewer.location).toContain("code=credentials");
  });
});

describe("single sign-on and the last administrator, on a database of its own", () => {
  test("a sign-in whose claim would lower the last admin keeps them admin, audited with why", async () => {
    const databaseFile = ".tmp/integration/sso-last-admin.db";
    rmSync(databaseFile, { force: true });
    let provider!: TOidcProvider;
    const app = await appWithSso({ ...targets[0]!, databaseUrl: `file:${databaseFile}` }, "sso-last-admin", async (port) => {
      provider = await startOidcProvider({ redirectUris: [`http://127.0.0.1:${port}/api/auth/callback/oidc`] });
      stops.push(provider.stop);
      return provider.env;
    });
    const ada = await signInThroughProvider({ baseUrl: app.baseUrl, login: "ada" });
    const api = apiClient(app, { cookie: ada.cookie });
    // Ada disables the local administrator the app started with: she is the last one.
    const listed = (await api.get("/api/v1/users")).body.users as { id: string; email: string }[];
    const local = listed.find((user) => user.email === app.admin.email)!;
    expect((await api.patch(`/api/v1/users/${local.id}`, { disabled: true })).status).toBe(200);
    const adaId = listed.find((user) => user.email === oidcUsers.ada.email)!.id;

    provider.setGroups("ada", ["mesh-ops"]);
    const again = await signInThroughProvider({ baseUrl: app.baseUrl, login: "ada" });
    expect(again.location).toBe(`${app.baseUrl}/`);
    const still = apiClient(app, { cookie: again.cookie });
    expect((await still.get("/api/v1/users")).body.users).toContainEqual(expect.objectContaining({ email: oidcUsers.ada.email, role: "admin" }));
    expect((await still.get("/api/v1/audit?action=user.role.kept")).body.events).toEqual([
      expect.objectContaining({
        target: `user/${adaId}`,
        actor: expect.objectContaining({ name: "single sign-on" }),
        reason: "the provider's claim maps to operator, but this is the last administrator",
      }),
    ]);
  });
});
