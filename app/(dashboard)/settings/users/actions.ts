"use server";

import { revalidatePath } from "next/cache";
import { formText, safeFormAction, type TFormState } from "@/lib/actions/safe-action";
import { createUser as createUserRecord, ZCreateUser } from "@/lib/auth/users";

export type TCreateUserState = TFormState<{ email: string }>;

// What was typed (but the password) comes back with a refusal, so the form keeps it.
export const createUser = safeFormAction(
  {
    permission: "users.manage",
    schema: ZCreateUser,
    readForm: (form) => ({ email: formText(form, "email"), name: formText(form, "name"), role: formText(form, "role"), password: formText(form, "password") }),
    keep: ["email", "name", "role"],
  },
  async ({ input, user }) => {
    const created = await createUserRecord({ actor: user, input });
    revalidatePath("/settings/users");
    return created;
  },
);
