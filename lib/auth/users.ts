import "server-only";
import { z } from "zod";
import { recordAudit } from "@/lib/audit/record-audit";
import { db, type Tx } from "@/lib/db";
import { transaction } from "@/lib/db/transaction";
import { AppError } from "@/lib/errors";
import { pageSize } from "@/lib/pagination/cursor";
import { pageOf, skipTake, type TNumberedPage } from "@/lib/pagination/numbered";
import { noNulCheck, plainTextCheck } from "@/lib/plain-text";
import type { TActor } from "./actor";
import { adminsRemainWithout } from "./admins-remain";
import { hashPassword, verifyPassword } from "./password";
import { ZRole } from "./roles";
import { endUserSessions } from "./sessions";
import { clearSignInFailures, getSignInWait, recordSignInFailure } from "./throttle";

export const ZPassword = z.string().min(12, "must be at least 12 characters").max(256, "must be at most 256 characters").check(noNulCheck);

export const ZCreateUser = z.strictObject({
  email: z
    .email("must be an email address")
    .max(254)
    .transform((email) => email.toLowerCase()),
  name: z.string().trim().min(1, "must not be empty").max(100, "must be at most 100 characters").check(plainTextCheck()),
  password: ZPassword,
  role: ZRole,
});
export type TCreateUser = z.infer<typeof ZCreateUser>;

export async function hasAnyUser(): Promise<boolean> {
  return (await db.user.count()) > 0;
}

type TNewUser = { email: string; name: string; role: string; passwordHash: string };

// Both ways a user comes to be write the same rows: the user and its audit event.
async function insertUser(tx: Tx, { actor, data }: { actor: TActor; data: TNewUser }) {
  if (await tx.user.findUnique({ where: { email: data.email }, select: { id: true } })) {
    throw new AppError("conflict", "a user with this email exists", "email");
  }
  const user = await tx.user.create({ data, select: { id: true, email: true, name: true, role: true } });
  await recordAudit(tx, { actor, action: "user.create", target: `user/${user.id}`, after: user });
  return user;
}

export async function createUser({ actor, input }: { actor: TActor; input: TCreateUser }) {
  const passwordHash = await hashPassword({ password: input.password });
  return transaction((tx) => insertUser(tx, { actor, data: { email: input.email, name: input.name, role: input.role, passwordHash } }));
}

/**
 * The first administrator, from the setup page or the environment. Refused once any user exists,
 * so the setup page cannot be used to take over a running console.
 */
export async function createFirstAdmin({ input, via }: { input: Omit<TCreateUser, "role">; via: string }) {
  const finished = new AppError("forbidden", "setup is finished: an administrator exists", "email");
  // Checked before the costly hash, so the open setup action cannot be used to load the server.
  if (await hasAnyUser()) throw finished;
  const passwordHash = await hashPassword({ password: input.password });
  return transaction(async (tx) => {
    if ((await tx.user.count()) > 0) throw finished;
    // One setup ever: a second transaction racing this one fails on this row's key.
    await tx.setting.create({ data: { key: "setup_done", value: new Date().toISOString() } }).catch(() => {
      throw finished;
    });
    const data = { email: input.email, name: input.name, role: "admin", passwordHash };
    return insertUser(tx, { actor: { type: "system", name: via }, data });
  });
}

/** Creates the first admin from MESHDECK_ADMIN_EMAIL / MESHDECK_ADMIN_PASSWORD when no user exists yet. */
export async function ensureAdminFromEnv({ email, password }: { email?: string; password?: string }) {
  if (!email || !password || (await hasAnyUser())) return null;
  const input = ZCreateUser.omit({ role: true }).parse({ email, password, name: email.split("@")[0] });
  return createFirstAdmin({ input, via: "environment" });
}

export async function findUserForSignIn({ email }: { email: string }) {
  return db.user.findUnique({
    where: { email: email.toLowerCase() },
    omit: { passwordHash: false },
  });
}

const listed = { id: true, email: true, name: true, role: true, createdAt: true, disabledAt: true, mustChangePassword: true, ssoIssuer: true } as const;

export async function listUsers(paged: TNumberedPage = { page: 1, limit: pageSize }) {
  // A page at a time, oldest first: a directory's people do not all fit one page.
  const [total, users] = await Promise.all([
    db.user.count(),
    db.user.findMany({ orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: listed, ...skipTake(paged) }),
  ]);
  return { users, ...pageOf(total, paged) };
}

export const ZUpdateUser = z
  .strictObject({ role: ZRole.optional(), disabled: z.boolean().optional() })
  .refine((input) => input.role !== undefined || input.disabled !== undefined, { message: "send role or disabled" });
export type TUpdateUser = z.infer<typeof ZUpdateUser>;

export const ZSetPassword = z.strictObject({ password: ZPassword });
export const ZChangeOwnPassword = z
  .strictObject({ currentPassword: z.string().min(1, "must not be empty").max(256), newPassword: ZPassword })
  .refine((input) => input.currentPassword !== input.newPassword, { message: "must differ from the current password", path: ["newPassword"] });
export type TChangeOwnPassword = z.infer<typeof ZChangeOwnPassword>;

const actorIdOf = (actor: TActor) => (actor.type === "system" ? null : actor.id);

async function getUserOrThrow(tx: Tx, id: string) {
  const user = await tx.user.findUnique({ where: { id }, select: { id: true, email: true, name: true, role: true, disabledAt: true, ssoIssuer: true } });
  if (!user) throw new AppError("not_found", "no such user", "id");
  return user;
}

/** An administrator may not lock themself out, nor leave no enabled administrator: called before a change that could. */
async function assertAdminsRemain(tx: Tx, { actor, id, what }: { actor: TActor; id: string; what: string }) {
  if (actorIdOf(actor) === id) throw new AppError("forbidden", `you cannot ${what} yourself; ask another administrator`, "id");
  if (!(await adminsRemainWithout(tx, { id })))
    throw new AppError("conflict", `the last administrator cannot be ${what === "delete" ? "deleted" : `${what}d`}`, "id");
}

/** Changes a user's role or disables / enables them; either ends the user's sessions. */
export async function updateUser({ actor, id, input }: { actor: TActor; id: string; input: TUpdateUser }) {
  return transaction(async (tx) => {
    const before = await getUserOrThrow(tx, id);
    const demoted = input.role !== undefined && input.role !== "admin" && before.role === "admin";
    const disabling = input.disabled === true && !before.disabledAt;
    if (demoted) await assertAdminsRemain(tx, { actor, id, what: "demote" });
    if (disabling && before.role === "admin") await assertAdminsRemain(tx, { actor, id, what: "disable" });
    if (disabling && actorIdOf(actor) === id) throw new AppError("forbidden", "you cannot disable yourself; ask another administrator", "id");
    const disabledAt = input.disabled === undefined ? before.disabledAt : input.disabled ? (before.disabledAt ?? new Date()) : null;
    const role = input.role ?? before.role;
    const after = await tx.user.update({ where: { id }, data: { role, disabledAt }, select: listed });
    const target = `user/${id}`;
    if (role !== before.role)
      await recordAudit(tx, { actor, action: "user.role", target, before: { email: before.email, role: before.role }, after: { email: before.email, role } });
    if (Boolean(disabledAt) !== Boolean(before.disabledAt))
      await recordAudit(tx, { actor, action: disabledAt ? "user.disable" : "user.enable", target, before: { email: before.email } });
    if (role !== before.role || disabling) await endUserSessions(tx, { userId: id });
    return after;
  });
}

/** Deletes a user; audit rows keep the name they were written with, and its tokens stay (created by no one). */
export async function deleteUser({ actor, id }: { actor: TActor; id: string }) {
  await transaction(async (tx) => {
    const before = await getUserOrThrow(tx, id);
    if (actorIdOf(actor) === id || before.role === "admin") await assertAdminsRemain(tx, { actor, id, what: "delete" });
    await tx.user.delete({ where: { id } });
    await recordAudit(tx, { actor, action: "user.delete", target: `user/${id}`, before: { email: before.email, name: before.name, role: before.role } });
  });
}

/** An administrator sets a user's password: the user's sessions end, and the user must choose another at next sign-in. */
export async function setUserPassword({ actor, id, password }: { actor: TActor; id: string; password: string }) {
  if (actorIdOf(actor) === id) throw new AppError("forbidden", "change your own password with your current one", "id");
  const passwordHash = await hashPassword({ password });
  await transaction(async (tx) => {
    const before = await getUserOrThrow(tx, id);
    if (before.ssoIssuer) throw new AppError("conflict", "this user signs in through single sign-on and has no password here", "id");
    await tx.user.update({ where: { id }, data: { passwordHash, mustChangePassword: true } });
    await endUserSessions(tx, { userId: id });
    await recordAudit(tx, { actor, action: "user.password.set", target: `user/${id}`, after: { email: before.email, mustChangePassword: true } });
  });
}

/**
 * A user changes their own password, proving the current one (guesses are throttled as sign-ins are). Every other
 * session of theirs ends; this one goes on.
 */
export async function changeOwnPassword({ actor, sessionId, input }: { actor: TActor & { type: "user" }; sessionId: string; input: TChangeOwnPassword }) {
  const key = `password-change ${actor.id}`;
  if ((await getSignInWait({ key })) > 0) throw new AppError("too_many_requests", "too many wrong passwords; wait a little and try again", "currentPassword");
  await recordSignInFailure({ key });
  const user = await db.user.findUnique({ where: { id: actor.id }, select: { passwordHash: true, ssoIssuer: true } });
  if (user?.ssoIssuer) throw new AppError("conflict", "you sign in through single sign-on: change your password at your identity provider", "currentPassword");
  if (!user || !(await verifyPassword({ hash: user.passwordHash, password: input.currentPassword }))) {
    throw new AppError("validation_failed", "the current password is wrong", "currentPassword");
  }
  await clearSignInFailures({ key });
  const passwordHash = await hashPassword({ password: input.newPassword });
  await transaction(async (tx) => {
    await tx.user.update({ where: { id: actor.id }, data: { passwordHash, mustChangePassword: false } });
    await endUserSessions(tx, { userId: actor.id, except: sessionId });
    await recordAudit(tx, { actor, action: "user.password.change", target: `user/${actor.id}` });
  });
}
