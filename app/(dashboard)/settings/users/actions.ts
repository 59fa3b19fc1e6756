"use server";

import { revalidatePath } from "next/cache";
import { safeAction } from "@/lib/actions/safe-action";
import { createUser, ZCreateUser } from "@/lib/auth/users";

export const createUserAction = safeAction({ needs: "admin", schema: ZCreateUser }, async ({ input, user }) => {
  const created = await createUser({ actor: user, input });
  revalidatePath("/settings/users");
  return created;
});
