"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { TActionResult } from "@/lib/actions/action-result";
import { safeAction } from "@/lib/actions/safe-action";
import { createApiToken, revokeApiToken, ZCreateApiToken } from "@/lib/auth/api-tokens";

const createToken = safeAction({ permission: "tokens.manage", schema: ZCreateApiToken }, async ({ input, user }) => {
  const { token, record } = await createApiToken({ actor: user, name: input.name, readsSecrets: input.readsSecrets });
  revalidatePath("/settings/tokens");
  return { token, name: record.name };
});

export type TCreateTokenState = TActionResult<{ token: string; name: string }> | undefined;

// A form action, so the form posts to the server even before the page's JavaScript has loaded.
export async function createTokenFromForm(_previous: TCreateTokenState, form: FormData): Promise<TCreateTokenState> {
  return createToken({ name: String(form.get("name") ?? ""), readsSecrets: form.get("readsSecrets") === "on" });
}

export const revokeToken = safeAction({ permission: "tokens.manage", schema: z.strictObject({ id: z.string().min(1) }) }, async ({ input, user }) => {
  await revokeApiToken({ actor: user, id: input.id });
  revalidatePath("/settings/tokens");
});
