"use server";

import { safeAction } from "@/lib/actions/safe-action";
import { signOut } from "@/lib/auth/auth";
import { setUserTheme, ZSetTheme } from "@/lib/auth/theme";

export async function signOutAction() {
  await signOut({ redirectTo: "/login" });
}

export const setTheme = safeAction({ permission: "account.preferences", schema: ZSetTheme }, async ({ input, user }) =>
  setUserTheme({ userId: user.id, theme: input.theme }),
);
