import type { Metadata } from "next";
import { requirePageUser } from "@/lib/auth/session";
import { listSources } from "@/lib/sources/queries";
import { SourcesClient } from "./page-client";

export const metadata: Metadata = { title: "Sources" };

export default async function SourcesPage() {
  const user = await requirePageUser();
  return <SourcesClient initial={await listSources()} canManage={user.role === "admin"} />;
}
