"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { TActionResult } from "@/lib/actions/action-result";
import { safeAction } from "@/lib/actions/safe-action";
import { createSource, deleteSource, setSourceEnabled } from "@/lib/sources/manage-sources";
import { ZSourceInput } from "@/lib/sources/schemas";

const addSource = safeAction({ permission: "sources.manage", schema: ZSourceInput }, async ({ input, user }) => {
  const source = await createSource({ actor: user, input });
  revalidatePath("/sources");
  return source;
});

export type TAddSourceState = TActionResult<{ name: string }> | undefined;

// The form posts its fields as one JSON `payload`, so lists (endpoints) and optional TLS keep their shape.
export async function addSourceFromForm(_previous: TAddSourceState, form: FormData): Promise<TAddSourceState> {
  let input: unknown;
  try {
    input = JSON.parse(String(form.get("payload") ?? ""));
  } catch {
    return { ok: false, error: "The form sent no readable data; reload the page and try again." };
  }
  return addSource(input as z.input<typeof ZSourceInput>);
}

export const removeSource = safeAction({ permission: "sources.manage", schema: z.strictObject({ name: z.string().min(1) }) }, async ({ input, user }) => {
  await deleteSource({ actor: user, name: input.name });
  revalidatePath("/sources");
});

export const pauseSource = safeAction({ permission: "sources.manage", schema: z.strictObject({ name: z.string().min(1), enabled: z.boolean() }) }, async ({ input, user }) => {
  await setSourceEnabled({ actor: user, name: input.name, enabled: input.enabled });
  revalidatePath("/sources");
});
