"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ZRecordId } from "@/lib/api/endpoint";
import { formText, safeAction, safeFormAction, type TFormState } from "@/lib/actions/safe-action";
import { createApiToken, revokeApiToken, ZCreateApiToken } from "@/lib/auth/api-tokens";
import { permissionSpec, tokenPermissions } from "@/lib/auth/permissions";

export type TCreateTokenState = TFormState<{ token: string; name: string }>;

// A scope field holds patterns or namespaces separated by commas or spaces; empty: every one.
const scopeList = (text: string) => {
  const list = text.split(/[\s,]+/).filter(Boolean);
  return list.length > 0 ? list : undefined;
};

export const createToken = safeFormAction(
  {
    permission: "tokens.manage",
    schema: ZCreateApiToken,
    readForm: (form) => ({
      name: formText(form, "name"),
      permissions: tokenPermissions
        .filter((permission) => form.get(`grant:${permission}`) === "on")
        .map((permission) => {
          const scope = permissionSpec(permission).scope;
          const list = scope ? scopeList(formText(form, `scope:${permission}`)) : undefined;
          return { permission, ...(scope && list ? { [scope]: list } : {}) };
        }),
      expiresIn: formText(form, "expiresIn") || undefined,
    }),
    keep: ["name"],
  },
  async ({ input, user }) => {
    const { token, record } = await createApiToken({ actor: user, ...input });
    revalidatePath("/settings/tokens");
    return { token, name: record.name };
  },
);

export const revokeToken = safeAction({ permission: "tokens.manage", schema: z.strictObject({ id: ZRecordId }) }, async ({ input, user }) => {
  await revokeApiToken({ actor: user, id: input.id });
  revalidatePath("/settings/tokens");
});
