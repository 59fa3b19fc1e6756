"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { TActionResult } from "@/lib/actions/action-result";
import { safeAction } from "@/lib/actions/safe-action";
import { changeInstances } from "@/lib/governance/change-instances";
import { ZChangeInstances, ZSetServicePolicy } from "@/lib/governance/schemas";
import { setServicePolicy } from "@/lib/governance/set-service-policy";
import { ZServiceName } from "@/lib/registry/schemas";

const applyInstanceChange = safeAction({ permission: "governance.change", schema: ZChangeInstances }, async ({ input, user }) => {
  const result = await changeInstances({ actor: user, input });
  for (const service of new Set(result.changed.map((row) => row.service))) revalidatePath(`/services/${service}`);
  return { changed: result.changed, forced: result.forced };
});

const applyServicePolicy = safeAction({ permission: "governance.change", schema: z.object({ name: ZServiceName, settings: ZSetServicePolicy }) }, async ({ input, user }) => {
  const result = await setServicePolicy({ actor: user, name: input.name, input: input.settings });
  revalidatePath(`/services/${input.name}`);
  return result;
});

type TChanged = Awaited<ReturnType<typeof changeInstances>>["changed"];
export type TInstanceChangeState = TActionResult<{ changed: TChanged; forced: boolean }> | undefined;
export type TPolicyState = TActionResult<Awaited<ReturnType<typeof setServicePolicy>>> | undefined;

// Form actions: the panel posts its change as one JSON field, which the schema checks whole (the casts only name its type).
function readPayload(form: FormData): unknown {
  try {
    return JSON.parse(String(form.get("payload") ?? ""));
  } catch {
    return undefined;
  }
}

export async function changeInstancesFromForm(_previous: TInstanceChangeState, form: FormData): Promise<TInstanceChangeState> {
  return applyInstanceChange(readPayload(form) as Parameters<typeof applyInstanceChange>[0]);
}

export async function setServicePolicyFromForm(_previous: TPolicyState, form: FormData): Promise<TPolicyState> {
  return applyServicePolicy(readPayload(form) as Parameters<typeof applyServicePolicy>[0]);
}
