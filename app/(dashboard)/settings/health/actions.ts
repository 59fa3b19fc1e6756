"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ZRecordId } from "@/lib/api/endpoint";
import { formText, safeAction, safeFormAction, type TFormState } from "@/lib/actions/safe-action";
import { createWebhook, deleteWebhook, ZCreateWebhook } from "@/lib/notify/webhooks";

export type TAddWebhookState = TFormState<void>;

export const addWebhook = safeFormAction(
  {
    permission: "webhooks.manage",
    schema: ZCreateWebhook,
    readForm: (form) => ({ url: formText(form, "url"), kinds: form.getAll("kinds").map(String) }),
    keep: ["url"],
  },
  async ({ input, user }) => {
    await createWebhook({ actor: user, input });
    revalidatePath("/settings/health");
  },
);

export const removeWebhook = safeAction({ permission: "webhooks.manage", schema: z.strictObject({ id: ZRecordId }) }, async ({ input, user }) => {
  await deleteWebhook({ actor: user, id: input.id });
  revalidatePath("/settings/health");
});
