import "server-only";
import { redirect } from "next/navigation";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { TActor } from "./actor";
import { auth } from "./auth";
import { roleAllows, type TRole } from "./roles";

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

/** For pages: sends anonymous visitors to the login page and refuses roles below `needs`. */
export async function requirePageUser({ needs = "viewer" }: { needs?: TRole } = {}): Promise<TUserActor> {
  const user = await getCurrentUser();
  if (!user) redirect("/login");
  if (!roleAllows({ role: user.role, needs })) throw new AppError("forbidden", `this page needs the ${needs} role`);
  return user;
}

/** For actions and API calls: throws 401 / 403 instead of redirecting. */
export async function requireUser({ needs = "viewer" }: { needs?: TRole } = {}): Promise<TUserActor> {
  const user = await getCurrentUser();
  if (!user) throw new AppError("unauthorized", "sign in first");
  if (!roleAllows({ role: user.role, needs })) throw new AppError("forbidden", `this needs the ${needs} role; you are ${user.role}`);
  return user;
}
