import { beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { transaction } from "@/lib/db/transaction";
import { endSession, endUserSessions, getSessionUser, pruneSessions, startSession } from "./sessions";
import { changeOwnPassword, createUser, deleteUser, listUsers, setUserPassword, updateUser } from "./users";

const system = { type: "system", name: "test" } as const;
const minute = 60_000;
let counter = 0;

async function newUser(role: "admin" | "operator" | "viewer" = "viewer") {
  counter += 1;
  const user = await createUser({
    actor: system,
    input: { email: `user${counter}@meshdeck.test`, name: `User ${counter}`, password: "a long enough password", role },
  });
  return { type: "user" as const, id: user.id, name: user.name, role: user.role };
}

beforeAll(async () => {
  await migrateDatabase();
});

describe("sessions", () => {
  test("live until ended, idle for 30 minutes, or 12 hours old", async () => {
    const user = await newUser();
    const id = await startSession({ userId: user.id });
    const start = Date.now();
    expect(await getSessionUser({ id })).toMatchObject({ id: user.id });
    expect(await getSessionUser({ id, now: new Date(start + 29 * minute) })).toMatchObject({ id: user.id });
    // That request moved lastSeenAt on: idle counts from it.
    expect(await getSessionUser({ id, now: new Date(start + 58 * minute) })).toMatchObject({ id: user.id });
    expect(await getSessionUser({ id, now: new Date(start + 89 * minute) })).toBeNull();

    const busy = await startSession({ userId: user.id });
    for (let at = 25; at < 12 * 60; at += 25) expect(await getSessionUser({ id: busy, now: new Date(start + at * minute) })).not.toBeNull();
    expect(await getSessionUser({ id: busy, now: new Date(start + 12 * 60 * minute + 1000) })).toBeNull();

    const ended = await startSession({ userId: user.id });
    await endSession({ id: ended });
    expect(await getSessionUser({ id: ended })).toBeNull();
    expect(await getSessionUser({ id: "no-such-session" })).toBeNull();
  });

  test("a request does not write lastSeenAt each time", async () => {
    const user = await newUser();
    const id = await startSession({ userId: user.id });
    const seen = async () => (await db.session.findUniqueOrThrow({ where: { id } })).lastSeenAt.getTime();
    const first = await seen();
    await getSessionUser({ id, now: new Date(first + 30_000) });
    expect(await seen()).toBe(first);
    await getSessionUser({ id, now: new Date(first + 61_000) });
    expect(await seen()).toBe(first + 61_000);
  });

  test("ending a user's sessions spares the one named, and pruning deletes the dead", async () => {
    const user = await newUser();
    const [keep, end] = [await startSession({ userId: user.id }), await startSession({ userId: user.id })];
    expect(await transaction((tx) => endUserSessions(tx, { userId: user.id, except: keep }))).toBe(1);
    expect(await getSessionUser({ id: keep })).not.toBeNull();
    expect(await getSessionUser({ id: end })).toBeNull();
    await pruneSessions();
    expect(await db.session.count({ where: { id: end } })).toBe(0);
    expect(await db.session.count({ where: { id: keep } })).toBe(1);
  });
});

describe("user management", () => {
  test("a role change or disabling ends the user's sessions; a disabled user has none", async () => {
    const admin = await newUser("admin");
    const user = await newUser("operator");
    const id = await startSession({ userId: user.id });
    await updateUser({ actor: admin, id: user.id, input: { role: "viewer" } });
    expect(await getSessionUser({ id })).toBeNull();
    const again = await startSession({ userId: user.id });
    await updateUser({ actor: admin, id: user.id, input: { disabled: true } });
    expect(await getSessionUser({ id: again })).toBeNull();
    // Even a session row made later (a sign-in racing the disable) is refused while the user is disabled.
    const late = await startSession({ userId: user.id });
    expect(await getSessionUser({ id: late })).toBeNull();
    await updateUser({ actor: admin, id: user.id, input: { disabled: false } });
    expect(await getSessionUser({ id: late })).not.toBeNull();
    const audit = await db.auditEvent.findMany({ where: { target: `user/${user.id}` }, orderBy: { at: "asc" }, select: { action: true, actorName: true } });
    expect(audit.map(({ action }) => action)).toEqual(["user.create", "user.role", "user.disable", "user.enable"]);
  });

  test("an admin cannot lock themself out or remove the last admin", async () => {
    await db.user.updateMany({ where: { role: "admin" }, data: { role: "viewer" } });
    const admin = await newUser("admin");
    await expect(updateUser({ actor: admin, id: admin.id, input: { role: "operator" } })).rejects.toMatchObject({ code: "forbidden" });
    await expect(updateUser({ actor: admin, id: admin.id, input: { disabled: true } })).rejects.toMatchObject({ code: "forbidden" });
    await expect(deleteUser({ actor: admin, id: admin.id })).rejects.toMatchObject({ code: "forbidden" });
    // A second admin (acting as someone else) cannot take away the only other one once it is alone.
    const other = await newUser("admin");
    await updateUser({ actor: other, id: admin.id, input: { role: "viewer" } });
    await expect(deleteUser({ actor: { ...admin, role: "admin" }, id: other.id })).rejects.toMatchObject({ code: "conflict" });
    expect((await listUsers()).users.find((row) => row.id === other.id)?.role).toBe("admin");
  });

  test("deleting a user keeps its name in the audit log", async () => {
    const admin = await newUser("admin");
    const user = await newUser();
    await deleteUser({ actor: admin, id: user.id });
    const audit = await db.auditEvent.findFirstOrThrow({ where: { target: `user/${user.id}`, action: "user.delete" } });
    expect(audit.actorName).toBe(admin.name);
    expect(audit.before).toMatchObject({ name: user.name });
    await expect(deleteUser({ actor: admin, id: user.id })).rejects.toMatchObject({ code: "not_found" });
  });

  test("a password set by an admin must be changed, with the current one, which keeps only this session", async () => {
    const admin = await newUser("admin");
    const user = await newUser();
    const old = await startSession({ userId: user.id });
    await setUserPassword({ actor: admin, id: user.id, password: "set by the admin 1" });
    expect(await getSessionUser({ id: old })).toBeNull();
    const current = await startSession({ userId: user.id });
    const other = await startSession({ userId: user.id });
    expect(await getSessionUser({ id: current })).toMatchObject({ mustChangePassword: true });
    await expect(
      changeOwnPassword({ actor: user, sessionId: current, input: { currentPassword: "a wrong password", newPassword: "my own new password" } }),
    ).rejects.toMatchObject({ code: "validation_failed", field: "currentPassword" });
    await changeOwnPassword({ actor: user, sessionId: current, input: { currentPassword: "set by the admin 1", newPassword: "my own new password" } });
    expect(await getSessionUser({ id: current })).toMatchObject({ mustChangePassword: false });
    expect(await getSessionUser({ id: other })).toBeNull();
    await expect(setUserPassword({ actor: admin, id: admin.id, password: "another password" })).rejects.toMatchObject({ code: "forbidden" });
  });
});
