import "server-only";
import { redirect } from "next/navigation";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { TActor } from "./actor";
import { auth } from "./auth";
import { assertPermission, can, permissions, type TPermission } from "./permissions";

export type TUserActor = TActor & { type: "user"; email: string };

/** The signed-in user with the role the database holds now, or null. */
export async function getCurrentUser(): Promise<TUserActor | null> {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  const user = await db.user.findUnique({ where: { id }, select: { id: true, name: true, email: true, role: true } });
  if (!user) return null;
  return { type: "user", id: user.id, name: user.name, email: user.email, role: user.role };
}

/** For pages: sends anonymous visitors to the login page and refuses users who may not do `permission`. */
export async function requirePageUser({ permission }: { permission?: TPermission } = {}): Promise<TUserActor> {
  const user = await getCurrentUser();
  if (!user) redirect("/login");
  if (permission && !can({ role: user.role, permission })) throw new AppError("forbidden", `this page needs the ${permissions[permission].role} role`);
  return user;
}

/** For actions: throws 401 / 403 instead of redirecting. */
export async function requireUser({ permission }: { permission: TPermission }): Promise<TUserActor> {
  const user = await getCurrentUser();
  if (!user) throw new AppError("unauthorized", "sign in first");
  assertPermission({ caller: user, permission });
  return user;
}
