"use server";

import { revalidatePath } from "next/cache";
import type { TActionResult } from "@/lib/actions/action-result";
import { safeAction } from "@/lib/actions/safe-action";
import { createUser, ZCreateUser } from "@/lib/auth/users";

const createUserAction = safeAction({ permission: "users.manage", schema: ZCreateUser }, async ({ input, user }) => {
  const created = await createUser({ actor: user, input });
  revalidatePath("/settings/users");
  return created;
});

// What was typed (but the password) comes back with a refusal, so the form keeps it.
export type TCreateUserState = (TActionResult<{ email: string }> & { values?: Record<string, string> }) | undefined;

export async function createUserFromForm(_previous: TCreateUserState, form: FormData): Promise<TCreateUserState> {
  const values = { email: String(form.get("email") ?? ""), name: String(form.get("name") ?? ""), role: String(form.get("role") ?? "") };
  const result = await createUserAction({ ...values, password: String(form.get("password") ?? "") } as Parameters<typeof createUserAction>[0]);
  return result.ok ? result : { ...result, values };
}
