import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { can } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { getConfigItemDetail } from "@/lib/config/queries";
import { ZConfigFormat, ZConfigRef } from "@/lib/config/schemas";
import { AppError } from "@/lib/errors";
import { ConfigItemClient } from "./page-client";

type TProps = PageProps<"/config/[namespace]/[group]/[key]">;

export async function generateMetadata({ params }: TProps): Promise<Metadata> {
  const { group, key } = await params;
  return { title: `${decodeURIComponent(group)}/${decodeURIComponent(key)}` };
}

export default async function ConfigItemPage({ params, searchParams }: TProps) {
  const user = await requirePageUser(); // a page can be fetched without its layout, so it checks for itself
  const raw = await params;
  const parsed = ZConfigRef.safeParse({ namespace: decodeURIComponent(raw.namespace), group: decodeURIComponent(raw.group), key: decodeURIComponent(raw.key) });
  if (!parsed.success) notFound();
  const ref = parsed.data;
  const detail = await getConfigItemDetail({ actor: user, ref }).catch((error) => {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  });
  const canEdit = can({ role: user.role, permission: "config.publish" });
  // A key never published opens as a new item for those who may publish it; for others it does not exist.
  if (!detail && !canEdit) notFound();
  const format = ZConfigFormat.catch("json").parse((await searchParams).format);
  return (
    <ConfigItemClient
      itemRef={ref}
      initialDetail={detail}
      newFormat={format}
      canEdit={canEdit}
      managesSecrets={can({ role: user.role, permission: "config.secrets" })}
    />
  );
}
