import "server-only";
import { z } from "zod";
import { recordAudit } from "@/lib/audit/record-audit";
import { db, type Tx } from "@/lib/db";
import { transaction } from "@/lib/db/transaction";
import { AppError } from "@/lib/errors";
import { noNulCheck, plainTextCheck } from "@/lib/plain-text";
import type { TActor } from "./actor";
import { hashPassword } from "./password";
import { ZRole } from "./roles";

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

export async function listUsers() {
  return db.user.findMany({ orderBy: { createdAt: "asc" }, select: { id: true, email: true, name: true, role: true, createdAt: true } });
}
