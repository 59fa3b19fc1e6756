"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { formText, safeAction, safeFormAction } from "@/lib/actions/safe-action";
import { createSource, deleteSource, setSourceEnabled } from "@/lib/sources/manage-sources";
import { ZSourceInput } from "@/lib/sources/schemas";

// Optional fields left empty are not sent: the schema's defaults and checks apply.
function readSourceForm(form: FormData) {
  const [prefix, username, ca, cert, key] = ["prefix", "username", "ca", "cert", "key"].map((name) => formText(form, name));
  return {
    name: formText(form, "name").trim(),
    kind: formText(form, "kind"),
    convention: formText(form, "convention"),
    endpoints: formText(form, "endpoints")
      .split(/[\s,]+/)
      .filter(Boolean),
    ...(prefix ? { prefix } : {}),
    ...(username ? { username, password: formText(form, "password") } : {}),
    // A Consul source's ACL token comes alone, without a username.
    ...(!username && formText(form, "password") ? { password: formText(form, "password") } : {}),
    ...(ca ? { tls: { ca, ...(cert ? { cert } : {}), ...(key ? { key } : {}) } } : {}),
  };
}

export const addSource = safeFormAction({ permission: "sources.manage", schema: ZSourceInput, readForm: readSourceForm }, async ({ input, user }) => {
  const source = await createSource({ actor: user, input });
  revalidatePath("/sources");
  return source;
});

export const removeSource = safeAction({ permission: "sources.manage", schema: z.strictObject({ name: z.string().min(1) }) }, async ({ input, user }) => {
  await deleteSource({ actor: user, name: input.name });
  revalidatePath("/sources");
});

export const pauseSource = safeAction(
  { permission: "sources.manage", schema: z.strictObject({ name: z.string().min(1), enabled: z.boolean() }) },
  async ({ input, user }) => {
    await setSourceEnabled({ actor: user, name: input.name, enabled: input.enabled });
    revalidatePath("/sources");
  },
);
