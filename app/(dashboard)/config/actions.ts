"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { safeAction } from "@/lib/actions/safe-action";
import { endGray, startGray } from "@/lib/config/publish/gray";
import { createNamespace, deleteNamespace } from "@/lib/config/publish/namespaces";
import { deleteConfig, publishConfig, rollbackConfig } from "@/lib/config/publish/publish";
import {
  ZConfigRef,
  ZCreateNamespace,
  ZDeleteConfig,
  ZEndGray,
  ZGrayOutcome,
  ZNamespaceName,
  ZPublishConfig,
  ZRollbackConfig,
  ZStartGray,
} from "@/lib/config/schemas";

const itemPath = ({ namespace, group, key }: { namespace: string; group: string; key: string }) => `/config/${namespace}/${group}/${key}`;
const withRef = <S extends z.ZodType>(input: S) => z.strictObject({ ref: ZConfigRef, input });

export const publishItem = safeAction({ permission: "config.publish", schema: withRef(ZPublishConfig) }, async ({ input, user }) => {
  const result = await publishConfig({ actor: user, ref: input.ref, input: input.input });
  revalidatePath(itemPath(input.ref));
  return result;
});

export const rollbackItem = safeAction({ permission: "config.publish", schema: withRef(ZRollbackConfig) }, async ({ input, user }) => {
  const result = await rollbackConfig({ actor: user, ref: input.ref, input: input.input });
  revalidatePath(itemPath(input.ref));
  return result;
});

export const startGrayRelease = safeAction({ permission: "config.publish", schema: withRef(ZStartGray) }, async ({ input, user }) => {
  const result = await startGray({ actor: user, ref: input.ref, input: input.input });
  revalidatePath(itemPath(input.ref));
  return result;
});

export const endGrayRelease = safeAction(
  { permission: "config.publish", schema: withRef(ZEndGray.extend({ outcome: ZGrayOutcome })) },
  async ({ input, user }) => {
    const result = await endGray({ actor: user, ref: input.ref, outcome: input.input.outcome, message: input.input.message });
    revalidatePath(itemPath(input.ref));
    return result;
  },
);

export const deleteItem = safeAction({ permission: "config.publish", schema: withRef(ZDeleteConfig) }, async ({ input, user }) => {
  await deleteConfig({ actor: user, ref: input.ref, input: input.input });
  revalidatePath("/config");
});

export const addNamespace = safeAction({ permission: "namespaces.manage", schema: ZCreateNamespace }, async ({ input, user }) => {
  await createNamespace({ actor: user, ...input });
  revalidatePath("/config");
});

export const removeNamespace = safeAction({ permission: "namespaces.manage", schema: z.strictObject({ name: ZNamespaceName }) }, async ({ input, user }) => {
  await deleteNamespace({ actor: user, name: input.name });
  revalidatePath("/config");
});
