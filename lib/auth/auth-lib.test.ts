import { beforeAll, describe, expect, test } from "vitest";
import { migrateDatabase } from "@/lib/db/migrate";
import { db } from "@/lib/db";
import { authenticateApiToken, checkTokenRevocations, createApiToken, revokeApiToken } from "./api-tokens";
import { hashPassword, verifyPassword } from "./password";
import { serviceTokenGrants } from "./permissions";
import { roleAllows } from "./roles";
import { clearSignInFailures, getSignInWait, recordSignInFailure } from "./throttle";
import { createFirstAdmin, ensureAdminFromEnv } from "./users";

const system = { type: "system", name: "test" } as const;

beforeAll(async () => {
  await migrateDatabase();
});

describe("passwords", () => {
  test("are hashed with argon2id and verified", async () => {
    const hash = await hashPassword({ password: "a long enough password" });
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword({ hash, password: "a long enough password" })).toBe(true);
    expect(await verifyPassword({ hash, password: "a long enough passwore" })).toBe(false);
    expect(await verifyPassword({ hash: "not a hash", password: "x" })).toBe(false);
  });
});

describe("roles", () => {
  test.each([
    ["admin", "admin", true],
    ["admin", "viewer", true],
    ["operator", "operator", true],
    ["operator", "admin", false],
    ["viewer", "operator", false],
    ["viewer", "viewer", true],
  ] as const)("%s may do what needs %s: %s", (role, needs, allowed) => {
    expect(roleAllows({ role, needs })).toBe(allowed);
  });
});

describe("sign-in throttle", () => {
  test("lets three failures through, then makes each wait longer", async () => {
    const key = "throttled@meshdeck.test";
    for (let failure = 0; failure < 3; failure += 1) {
      expect(await getSignInWait({ key })).toBe(0);
      await recordSignInFailure({ key });
    }
    const first = await getSignInWait({ key });
    expect(first).toBeGreaterThan(500);
    expect(first).toBeLessThanOrEqual(1000);
    await recordSignInFailure({ key });
    expect(await getSignInWait({ key })).toBeGreaterThan(1000);
    await clearSignInFailures({ key });
    expect(await getSignInWait({ key })).toBe(0);
  });
});

describe("first administrator", () => {
  test("is created once, and never when a user exists", async () => {
    const admin = await ensureAdminFromEnv({ email: "First@Meshdeck.test", password: "first-admin-password" });
    expect(admin).toMatchObject({ email: "first@meshdeck.test", role: "admin" });
    expect(await ensureAdminFromEnv({ email: "second@meshdeck.test", password: "second-admin-password" })).toBeNull();
    await expect(createFirstAdmin({ input: { email: "x@meshdeck.test", name: "x", password: "xxxxxxxxxxxx" }, via: "test" })).rejects.toMatchObject({
      code: "forbidden",
    });
  });
});

describe("API tokens", () => {
  test("are stored hashed, authenticate until revoked, and then at once no more", async () => {
    const { token, record } = await createApiToken({ actor: system, name: "ci" });
    expect(token).toMatch(/^mdk_[A-Za-z0-9_-]{43}$/);
    expect(record.prefix).toBe(token.slice(0, 12));
    expect(await authenticateApiToken({ token })).toMatchObject({ type: "token", id: record.id, name: "ci" });
    expect(await authenticateApiToken({ token: `${token}x` })).toBeNull();
    expect(await authenticateApiToken({ token: "Bearer nonsense" })).toBeNull();
    await revokeApiToken({ actor: system, id: record.id });
    expect(await authenticateApiToken({ token })).toBeNull();
    await expect(revokeApiToken({ actor: system, id: record.id })).rejects.toMatchObject({ code: "conflict" });
  });

  test("are kept verified in memory, and dropped at the next look once another process revoked one", async () => {
    const { token, record } = await createApiToken({ actor: system, name: "elsewhere" });
    await checkTokenRevocations();
    expect(await authenticateApiToken({ token })).toMatchObject({ id: record.id });
    // Revoked by another app process: this one is not told, and answers from memory until it looks.
    await db.apiToken.update({ where: { id: record.id }, data: { revokedAt: new Date() } });
    expect(await authenticateApiToken({ token })).toMatchObject({ id: record.id });
    await checkTokenRevocations();
    expect(await authenticateApiToken({ token })).toBeNull();
  });
});

describe("API token permissions", () => {
  test("a token carries the permissions it was made with, and past its expiry is refused as if revoked", async () => {
    const permissions = [{ permission: "governance.change" as const, services: ["orders*"] }];
    const { token, record } = await createApiToken({ actor: system, name: "ci-orders", permissions, expiresIn: 60_000 });
    expect(record).toMatchObject({ permissions, expiresAt: expect.any(Date) });
    expect(await authenticateApiToken({ token })).toMatchObject({ id: record.id, grants: permissions });
    // Its expiry passed (moved back here rather than waited for): refused from then on.
    const { token: other, record: expiring } = await createApiToken({ actor: system, name: "expiring", expiresIn: 1000 });
    await db.apiToken.update({ where: { id: expiring.id }, data: { expiresAt: new Date(Date.now() - 1) } });
    expect(await authenticateApiToken({ token: other })).toBeNull();
  });

  test("a token made without permissions gets what a service needs, as every token had before", async () => {
    const { token } = await createApiToken({ actor: system, name: "service" });
    expect((await authenticateApiToken({ token }))?.grants).toEqual(serviceTokenGrants);
  });
});
