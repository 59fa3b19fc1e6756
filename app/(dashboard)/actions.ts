"use server";

import { safeAction } from "@/lib/actions/safe-action";
import { signOut } from "@/lib/auth/auth";
import { setUserTheme, setUserZone, ZSetTheme, ZSetZone } from "@/lib/auth/theme";

export async function signOutAction() {
  await signOut({ redirectTo: "/login" });
}

export const setTheme = safeAction({ permission: "account.preferences", schema: ZSetTheme }, async ({ input, user }) =>
  setUserTheme({ userId: user.id, theme: input.theme }),
);

export const setZone = safeAction({ permission: "account.preferences", schema: ZSetZone }, async ({ input, user }) =>
  setUserZone({ userId: user.id, utc: input.utc }),
);
