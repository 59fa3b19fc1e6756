"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { formText, safeAction, safeFormAction, type TFormState } from "@/lib/actions/safe-action";
import { createApiToken, revokeApiToken, ZCreateApiToken } from "@/lib/auth/api-tokens";

export type TCreateTokenState = TFormState<{ token: string; name: string }>;

export const createToken = safeFormAction(
  {
    permission: "tokens.manage",
    schema: ZCreateApiToken,
    readForm: (form) => ({ name: formText(form, "name"), readsSecrets: form.get("readsSecrets") === "on" }),
  },
  async ({ input, user }) => {
    const { token, record } = await createApiToken({ actor: user, name: input.name, readsSecrets: input.readsSecrets });
    revalidatePath("/settings/tokens");
    return { token, name: record.name };
  },
);

export const revokeToken = safeAction({ permission: "tokens.manage", schema: z.strictObject({ id: z.string().min(1) }) }, async ({ input, user }) => {
  await revokeApiToken({ actor: user, id: input.id });
  revalidatePath("/settings/tokens");
});
