import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { AppError } from "@/lib/errors";
import type { TActor } from "./actor";
import { auth } from "./auth";
import { loginHref, pagePathHeader } from "./return-path";
import { getSessionUser } from "./sessions";
import { themeOf, type TTheme } from "./theme-names";
import { assertPasswordCurrent, assertPermission, permissions, permits, type TPermission } from "./permissions";

export type TUserActor = TActor & { type: "user"; email: string; sessionId: string; mustChangePassword: boolean; theme: TTheme; utc: boolean; sso: boolean };

/** The signed-in user of a live session, with the role the database holds now, or null; read once per render. */
export const getCurrentUser = cache(async function getCurrentUser(): Promise<TUserActor | null> {
  const session = await auth();
  const sessionId = session?.sessionId;
  if (!session?.user?.id || !sessionId) return null;
  const user = await getSessionUser({ id: sessionId });
  if (!user || user.id !== session.user.id) return null;
  return {
    type: "user",
    id: user.id,
    name: user.name,
    email: user.email,
    role: user.role,
    sessionId,
    mustChangePassword: user.mustChangePassword,
    theme: themeOf(user.theme),
    utc: user.zone === "utc",
    sso: user.ssoSubject !== null,
  };
});

/**
 * For pages: sends anonymous visitors to the login page, users who must change their password to that page, and
 * users who may not do `permission` to the overview (the navigation does not show them such pages).
 */
export async function requirePageUser({ permission }: { permission?: TPermission } = {}): Promise<TUserActor> {
  const user = await getCurrentUser();
  if (!user) redirect(loginHref((await headers()).get(pagePathHeader) ?? "/"));
  if (user.mustChangePassword) redirect("/change-password");
  if (permission && !permits({ actor: user, permission })) redirect(`/?forbidden=${encodeURIComponent(permissions[permission].role)}`);
  return user;
}

/** For actions: throws 401 / 403 instead of redirecting. */
export async function requireUser({ permission }: { permission: TPermission }): Promise<TUserActor> {
  const user = await getCurrentUser();
  if (!user) throw new AppError("unauthorized", "sign in first");
  assertPasswordCurrent({ user, permission });
  assertPermission({ actor: user, permission });
  return user;
}
