"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { safeAction } from "@/lib/actions/safe-action";
import { createApiToken, revokeApiToken, ZCreateApiToken } from "@/lib/auth/api-tokens";

export const createToken = safeAction({ needs: "admin", schema: ZCreateApiToken }, async ({ input, user }) => {
  const { token, record } = await createApiToken({ actor: user, name: input.name });
  revalidatePath("/settings/tokens");
  return { token, name: record.name };
});

export const revokeToken = safeAction({ needs: "admin", schema: z.strictObject({ id: z.string().min(1) }) }, async ({ input, user }) => {
  await revokeApiToken({ actor: user, id: input.id });
  revalidatePath("/settings/tokens");
});
