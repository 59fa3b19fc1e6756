"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { TActionResult } from "@/lib/actions/action-result";
import { safeAction } from "@/lib/actions/safe-action";
import { createWebhook, deleteWebhook, failoverKinds, ZCreateWebhook } from "@/lib/notify/webhooks";

const addWebhook = safeAction({ needs: "admin", schema: ZCreateWebhook }, async ({ input, user }) => {
  await createWebhook({ actor: user, input });
  revalidatePath("/settings/health");
});

export type TAddWebhookState = (TActionResult<void> & { url?: string }) | undefined;

// A form action, so it works before the page's JavaScript has loaded.
export async function addWebhookFromForm(_previous: TAddWebhookState, form: FormData): Promise<TAddWebhookState> {
  const url = String(form.get("url") ?? "");
  const kinds = form.getAll("kinds").map(String) as (typeof failoverKinds)[number][];
  const result = await addWebhook({ url, kinds });
  return result.ok ? result : { ...result, url };
}

export const removeWebhook = safeAction({ needs: "admin", schema: z.strictObject({ id: z.string().min(1) }) }, async ({ input, user }) => {
  await deleteWebhook({ actor: user, id: input.id });
  revalidatePath("/settings/health");
});
