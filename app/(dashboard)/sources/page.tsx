import type { Metadata } from "next";
import { can } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { listSources } from "@/lib/sources/queries";
import { SourcesClient } from "./page-client";

export const metadata: Metadata = { title: "Sources" };

export default async function SourcesPage() {
  const user = await requirePageUser();
  return <SourcesClient initial={await listSources()} canManage={can({ role: user.role, permission: "sources.manage" })} />;
}
