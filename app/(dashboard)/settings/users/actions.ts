"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ZRecordId } from "@/lib/api/endpoint";
import { formText, safeAction, safeFormAction, type TFormState } from "@/lib/actions/safe-action";
import {
  createUser as createUserRecord,
  deleteUser as deleteUserRecord,
  setUserPassword as setUserPasswordRecord,
  updateUser as updateUserRecord,
  ZCreateUser,
  ZSetPassword,
  ZUpdateUser,
} from "@/lib/auth/users";

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

const ZUserId = ZRecordId;

export const updateUser = safeAction({ permission: "users.manage", schema: z.strictObject({ id: ZUserId, change: ZUpdateUser }) }, async ({ input, user }) => {
  await updateUserRecord({ actor: user, id: input.id, input: input.change });
  revalidatePath("/settings/users");
});

export const deleteUser = safeAction({ permission: "users.manage", schema: z.strictObject({ id: ZUserId }) }, async ({ input, user }) => {
  await deleteUserRecord({ actor: user, id: input.id });
  revalidatePath("/settings/users");
});

export const setUserPassword = safeAction({ permission: "users.manage", schema: ZSetPassword.extend({ id: ZUserId }) }, async ({ input, user }) => {
  await setUserPasswordRecord({ actor: user, id: input.id, password: input.password });
  revalidatePath("/settings/users");
});
